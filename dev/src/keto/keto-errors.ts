// Keto answers errors in ory/herodot's shape: {error: {code, status, message, reason?}}.

const STATUS: Record<number, { status: string; message: string }> = {
  400: { status: 'Bad Request', message: 'The request was malformed or contained invalid parameters' },
  404: { status: 'Not Found', message: 'The requested resource could not be found' },
}

/** An error that the HTTP layer renders exactly as Keto would. */
export class KetoError extends Error {
  override name = 'KetoError'

  constructor(
    readonly code: 400 | 404,
    message: string,
    readonly reason?: string,
  ) {
    super(message)
  }

  /** The response body. */
  toJSON(): { error: { code: number; status: string; message: string; reason?: string } } {
    const reason = this.reason === undefined ? {} : { reason: this.reason }
    return { error: { code: this.code, status: STATUS[this.code]!.status, message: this.message, ...reason } }
  }
}

/** 400 with either a specific message or herodot's default one plus a reason. */
export function badRequest(message?: string, reason?: string): KetoError {
  return new KetoError(400, message ?? STATUS[400]!.message, reason)
}

/** 404 for a namespace the OPL file does not declare. */
export function unknownNamespace(name: string): KetoError {
  return new KetoError(404, STATUS[404]!.message, `Unknown namespace with name "${name}".`)
}

// Keto's own messages (ketoapi/public_api_definitions.go).
export const NIL_SUBJECT = 'subject is not allowed to be nil'
export const DUPLICATE_SUBJECT = 'exactly one of subject_set or subject_id has to be provided'
export const INCOMPLETE_SUBJECT = 'incomplete subject, provide "subject_id" or a complete "subject_set.*"'
export const INCOMPLETE_TUPLE = 'incomplete tuple, provide "namespace", "object", "relation", and a subject'
