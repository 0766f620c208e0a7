import type { ExpirationRecord } from '../domain/expiration'

/** A record as read, with the ETag that a later write must present. */
export type StoredRecord = { record: ExpirationRecord; etag: string }

/** The expiration port: one small record per order, written with optimistic concurrency (ETags, first write wins). */
export interface ExpirationStore {
  get(orderId: string): Promise<StoredRecord | null>
  /**
   * Writes the record if it is unchanged since it was read with `etag`, or, without an etag, if there is none yet.
   * False when another writer got there first.
   */
  put(orderId: string, record: ExpirationRecord, etag?: string): Promise<boolean>
}
