import { z } from '@hono/zod-openapi'

export const UserSchema = z.object({ id: z.string(), email: z.string(), createdAt: z.string() }).openapi('User')

// What ory/kratos/registration-webhook.jsonnet sends.
export const RegistrationHookBody = z
  .object({ identityId: z.string().uuid(), email: z.email(), flowId: z.string().optional() })
  .openapi('RegistrationHook')
