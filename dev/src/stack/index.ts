export { startLocalStack, type DeadLetterSeen, type LocalStack, type Stack } from './local-stack'
export { freePort } from './free-port'
