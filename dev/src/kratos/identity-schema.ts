import { Ajv, type DefinedError, type ValidateFunction } from 'ajv'
import addFormats from 'ajv-formats'
import { parseIdentitySchemaFile, type Trait } from './identity-schema-file'
import { texts, type UiText } from './messages'
import { inputNode, type UiNode } from './nodes'

/** A validation problem placed where Kratos places it: on a field (dot path) or on the whole form. */
export interface FieldMessage {
  field?: string
  message: UiText
}

const jsonType = (value: unknown): string =>
  value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value === 'object' ? 'object' : typeof value

const valueAt = (data: unknown, pointer: string): unknown =>
  pointer
    .split('/')
    .slice(1)
    .reduce<unknown>((node, key) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined), data)

const toField = (pointer: string): string | undefined => pointer.split('/').slice(1).join('.') || undefined

function toMessage(error: DefinedError, data: unknown): FieldMessage | undefined {
  const value = valueAt(data, error.instancePath)
  const field = toField(error.instancePath)
  switch (error.keyword) {
    case 'if':
      return undefined
    case 'required': {
      const missing = error.params.missingProperty
      return { field: field ? `${field}.${missing}` : missing, message: texts.required(missing) }
    }
    case 'format':
      return { field, message: texts.generic(`"${String(value)}" is not valid "${error.params.format}"`) }
    case 'minLength':
      return { field, message: texts.minLength(error.params.limit, [...String(value)].length) }
    case 'maxLength':
      return { field, message: texts.maxLength(error.params.limit, [...String(value)].length) }
    case 'type':
      return { field, message: texts.wrongType(error.params.type.split(','), jsonType(value)) }
    case 'additionalProperties':
      return { field, message: texts.generic(`additionalProperties "${error.params.additionalProperty}" not allowed`) }
    default:
      return { field, message: texts.generic(error.message ?? 'validation failed') }
  }
}

/** The identity schema compiled for the checks Kratos runs on submitted flows. */
export interface IdentitySchema {
  validateRegistration(body: unknown): FieldMessage[]
  validateLogin(body: unknown): FieldMessage[]
  traitNodes(): UiNode[]
  identifierLabel(): UiText
  identifiers(traits: Record<string, unknown>): string[]
  /** The e-mail addresses the schema marks for verification or for recovery (`"via": "email"`). */
  emailsFor(purpose: 'verification' | 'recovery', traits: Record<string, unknown>): string[]
}

/**
 * Compiles the identity schema the way Kratos uses it: body decoding, trait validation, form nodes.
 * Kratos's body schemas require the password only for `method: "password"`; the submit handlers
 * answer any other method before validating, so here the password is always required.
 */
export function compileIdentitySchema(file: Record<string, unknown>): IdentitySchema {
  const traitsSchema = parseIdentitySchemaFile(file).properties?.traits
  const traitProperties = Object.entries(traitsSchema?.properties ?? {})
  const ajv = new Ajv({ allErrors: true, strict: false })
  addFormats(ajv)
  const registration: ValidateFunction = ajv.compile({
    type: 'object',
    properties: {
      csrf_token: { type: 'string' },
      // An empty password is reported by the submit handler as Kratos does: 4000002, not a length error.
      password: { type: 'string' },
      traits: traitsSchema ?? { type: 'object' },
      method: { type: 'string' },
      transient_payload: { type: 'object' },
    },
    required: ['password'],
  })
  const login: ValidateFunction = ajv.compile({
    type: 'object',
    properties: {
      csrf_token: { type: 'string' },
      // An empty password is reported by the submit handler as Kratos does: 4000002, not a length error.
      password: { type: 'string' },
      identifier: { type: 'string', minLength: 1 },
      method: { type: 'string' },
      transient_payload: { type: 'object' },
    },
    required: ['identifier', 'password'],
  })
  // Ajv's documented narrowing: the schemas use only built-in keywords and ajv-formats.
  const run = (validate: ValidateFunction, body: unknown): FieldMessage[] =>
    validate(body) ? [] : ((validate.errors ?? []) as DefinedError[]).flatMap((e) => toMessage(e, body) ?? [])
  const extension = (property: Trait) => property['ory.sh/kratos'] ?? {}
  const isIdentifier = (property: Trait) => extension(property).credentials?.password?.identifier === true

  return {
    validateRegistration: (body) => run(registration, body),
    validateLogin: (body) => run(login, body),
    traitNodes: () => {
      const required = new Set(traitsSchema?.required ?? [])
      return traitProperties.map(([key, property]) => {
        const isEmail = property.format === 'email'
        const type = isEmail ? 'email' : property.type === 'boolean' ? 'checkbox' : property.type === 'number' ? 'number' : 'text'
        return inputNode(`traits.${key}`, type, {
          required: required.has(key),
          autocomplete: isEmail ? 'email' : undefined,
          label: property.title ? texts.labelGenerated(property.title) : undefined,
        })
      })
    },
    identifierLabel: () => {
      const labelled = traitProperties.filter(([, property]) => {
        const credentials = extension(property).credentials ?? {}
        return (
          isIdentifier(property) ||
          credentials.webauthn?.identifier === true ||
          credentials.passkey?.display_name === true ||
          credentials.totp?.account_name === true ||
          credentials.code?.identifier === true
        )
      })
      const [only] = labelled
      return labelled.length === 1 && only?.[1].title ? texts.labelGenerated(only[1].title) : texts.labelId()
    },
    identifiers: (traits) =>
      traitProperties
        .filter(([key, property]) => isIdentifier(property) && typeof traits[key] === 'string')
        .map(([key]) => String(traits[key]).toLowerCase()),
    emailsFor: (purpose, traits) =>
      traitProperties
        .filter(([key, property]) => extension(property)[purpose]?.via === 'email' && typeof traits[key] === 'string')
        .map(([key]) => String(traits[key]).toLowerCase()),
  }
}
