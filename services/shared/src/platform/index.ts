// The core every service shares. Parts that bring a heavy client are their own entry points, so an
// image bundles only what its service uses: ./auth (Kratos), ./permissions (Keto), ./mongo, ./publisher (Dapr).
export * from './actors'
export * from './env'
export * from './errors'
export * from './logger'
export * from './openapi'
export * from './outbox'
export * from './server'
export * from './service'
export * from './subscriptions'
export * from './trace'
export * from './upstream'
export * from './validation'
