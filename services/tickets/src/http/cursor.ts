import { AppError } from '@ticketing/shared/platform'

/** Keyset cursors are opaque to clients: the last id seen, base64url-encoded. */
export const encodeCursor = (lastId: string) => Buffer.from(JSON.stringify({ after: lastId })).toString('base64url')

export function decodeCursor(cursor: string): string {
  try {
    const { after } = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { after?: unknown }
    if (typeof after === 'string' && after.length > 0) return after
  } catch {
    // falls through to the 400 below
  }
  throw new AppError('validation-failed', 400, 'The request has invalid fields', [
    { field: 'cursor', message: 'Not a cursor this API handed out' },
  ])
}
