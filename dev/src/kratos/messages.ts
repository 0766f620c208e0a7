/** A Kratos UI text: stable numeric id, English text, optional context for translations. */
export interface UiText {
  id: number
  text: string
  type: 'info' | 'error' | 'success'
  context?: Record<string, unknown>
}

const info = (id: number, text: string, context?: Record<string, unknown>): UiText =>
  context ? { id, text, type: 'info', context } : { id, text, type: 'info' }
const error = (id: number, text: string, context?: Record<string, unknown>): UiText =>
  context ? { id, text, type: 'error', context } : { id, text, type: 'error' }

const minutesAgo = (at: Date, now: Date): string => ((now.getTime() - at.getTime()) / 60_000).toFixed(2)

// Ids and wording follow Kratos's text package as v1.3.1 (the Kratos the platform tier and the chart run) sends them.
export const texts = {
  labelPassword: () => info(1070001, 'Password'),
  labelId: () => info(1070004, 'ID'),
  labelGenerated: (title: string) => info(1070002, title, { title }),
  signInWithPassword: () => info(1010022, 'Sign in with password'),
  signUp: () => info(1040001, 'Sign up'),
  generic: (reason: string) => error(4000001, reason, { reason }),
  required: (property: string) => error(4000002, `Property ${property} is missing.`, { property }),
  minLength: (min: number, actual: number) =>
    error(4000003, `length must be >= ${min}, but got ${actual}`, { min_length: min, actual_length: actual }),
  invalidCredentials: () =>
    error(
      4000006,
      'The provided credentials are invalid, check for spelling mistakes in your password or username, email address, or phone number.',
    ),
  duplicateCredentials: () =>
    error(4000007, 'An account with the same identifier (email, phone, username, ...) exists already.'),
  maxLength: (max: number, actual: number) =>
    error(4000017, `length must be <= ${max}, but got ${actual}`, { max_length: max, actual_length: actual }),
  wrongType: (allowed: string[], actual: string) =>
    error(4000026, `expected ${allowed.join(' or ')}, but got ${actual}`, { allowed_types: allowed, actual_type: actual }),
  passwordMinLength: (min: number, actual: number) =>
    error(4000032, `The password must be at least ${min} characters long, but got ${actual}.`, {
      min_length: min,
      actual_length: actual,
    }),
  passwordMaxLength: (max: number, actual: number) =>
    error(4000033, `The password must be at most ${max} characters long, but got ${actual}.`, {
      max_length: max,
      actual_length: actual,
    }),
  noLoginStrategy: () => error(4010002, 'Could not find a strategy to log you in with. Did you fill out the form correctly?'),
  noRegistrationStrategy: () =>
    error(4010003, 'Could not find a strategy to sign you up with. Did you fill out the form correctly?'),
  loginFlowExpired: (expiredAt: Date, now: Date) =>
    error(4010001, `The login flow expired ${minutesAgo(expiredAt, now)} minutes ago, please try again.`, {
      expired_at: expiredAt.toISOString(),
      expired_at_unix: Math.floor(expiredAt.getTime() / 1000),
    }),
  registrationFlowExpired: (expiredAt: Date, now: Date) =>
    error(4040001, `The registration flow expired ${minutesAgo(expiredAt, now)} minutes ago, please try again.`, {
      expired_at: expiredAt.toISOString(),
      expired_at_unix: Math.floor(expiredAt.getTime() / 1000),
    }),
}
