export { platformBinaries } from './binaries'
export { startPlatformStack, type PlatformStack, type PlatformStackOptions } from './platform-stack'
export type { Pubsub } from './components'
