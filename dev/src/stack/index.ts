export { startLocalStack, type LocalStack } from './local-stack'
export { freePort } from './free-port'
