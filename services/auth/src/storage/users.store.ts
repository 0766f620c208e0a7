import type { User } from '../domain/user'

/** The users port. */
export interface UsersStore {
  /** Stores the profile unless one with this id exists; returns what is stored. */
  createOnce(user: User): Promise<User>
  get(id: string): Promise<User | null>
}

/** Keeps profiles in process memory: the one-machine run and fast tests. */
export function createMemoryUsersStore(): UsersStore {
  const users = new Map<string, User>()
  return {
    async createOnce(user) {
      if (!users.has(user.id)) users.set(user.id, { ...user })
      return { ...users.get(user.id)! }
    },
    async get(id) {
      const user = users.get(id)
      return user ? { ...user } : null
    },
  }
}
