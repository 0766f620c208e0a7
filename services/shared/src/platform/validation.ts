import type { Context } from 'hono'
import type { ZodError } from 'zod'
import { problem, type FieldError } from './errors'

/** Turns zod issues into `{field, message}` pairs, the field as a dotted path. */
export function fieldErrors(error: ZodError): FieldError[] {
  return error.issues.flatMap((issue) => {
    const at = issue.path.join('.')
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ field: at ? `${at}.${key}` : key, message: 'Unknown field' }))
    }
    return [{ field: at || '(body)', message: issue.message }]
  })
}

/**
 * The `defaultHook` of every OpenAPIHono app: a request that fails its schema gets a 400 problem listing each field.
 * @example new OpenAPIHono({ defaultHook: validationHook })
 */
export function validationHook(result: { success: true } | { success: false; error: ZodError }, c: Context) {
  if (!result.success) {
    return problem(c, 400, 'validation-failed', 'The request has invalid fields', fieldErrors(result.error))
  }
}
