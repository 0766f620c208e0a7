/** A person's profile, created when Kratos registers them; `id` is their Kratos identity id. */
export type User = { id: string; email: string; createdAt: string }
