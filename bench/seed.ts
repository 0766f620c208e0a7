import { v7 as uuidv7 } from 'uuid'
import { openDataFile } from '@ticketing/shared/sqlite'
import { newTicket } from '../services/tickets/src/domain/ticket'
import { createSqliteTicketsStore } from '../services/tickets/src/storage/tickets.sqlite'

/** The title of the n-th seeded ticket; `row 12` is in one title of 30. */
export const seededTitle = (n: number) => `Concert ${n}, row ${n % 30}`

/**
 * Writes `count` tickets into the tickets service's file under `dataDir` through its own store (so the search
 * index is filled as in use), without a sync per ticket: seeding is setup, not what is measured.
 */
export async function seedTickets(dataDir: string, count: number): Promise<void> {
  const db = openDataFile(dataDir, 'tickets')
  db.exec('PRAGMA synchronous = OFF')
  const store = createSqliteTicketsStore(db)
  const now = new Date()
  for (let n = 0; n < count; n++) {
    await store.insert(newTicket({ id: uuidv7(), userId: 'bench-seller', title: seededTitle(n), description: '', price: 1000 + (n % 500) }, now), [])
  }
  db.close()
}
