import { z } from 'zod'

// The keys of the identity schema the stand-in reads besides handing the traits to ajv, typed as
// Kratos's extension schema types them; other keywords pass through to ajv untouched.
const flag = z.boolean().optional()
const viaSchema = z.looseObject({ via: z.string().optional() }).optional()

const traitSchema = z.looseObject({
  type: z.union([z.string(), z.array(z.string())]).optional(),
  format: z.string().optional(),
  title: z.string().optional(),
  'ory.sh/kratos': z
    .looseObject({
      credentials: z
        .looseObject({
          password: z.looseObject({ identifier: flag }).optional(),
          webauthn: z.looseObject({ identifier: flag }).optional(),
          passkey: z.looseObject({ display_name: flag }).optional(),
          totp: z.looseObject({ account_name: flag }).optional(),
          code: z.looseObject({ identifier: flag }).optional(),
        })
        .optional(),
      verification: viaSchema,
      recovery: viaSchema,
    })
    .optional(),
})

const identitySchemaFileSchema = z.looseObject({
  properties: z
    .looseObject({
      traits: z
        .looseObject({ properties: z.record(z.string(), traitSchema).optional(), required: z.array(z.string()).optional() })
        .optional(),
    })
    .optional(),
})

/** One property of the identity schema's traits. */
export type Trait = z.infer<typeof traitSchema>

/** Checks the keys of an identity schema the stand-in reads; throws naming every one of the wrong type. */
export function parseIdentitySchemaFile(file: Record<string, unknown>): z.infer<typeof identitySchemaFileSchema> {
  const parsed = identitySchemaFileSchema.safeParse(file)
  if (parsed.success) return parsed.data
  const problems = parsed.error.issues.map((issue) => `${issue.path.map(String).join('.')}: ${issue.message}`)
  throw new Error(`identity schema: ${problems.join('; ')}`)
}
