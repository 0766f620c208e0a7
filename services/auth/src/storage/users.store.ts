import type { User } from '../domain/user'

/** The users port. */
export interface UsersStore {
  /** Stores the profile unless one with this id exists; returns what is stored. */
  createOnce(user: User): Promise<User>
  get(id: string): Promise<User | null>
}
