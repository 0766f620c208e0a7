export { startKratos, type RunningKratos, type StartKratosOptions } from './kratos-server'
export { signUpNative } from './sign-up-native'
export { createKratosApp } from './kratos-app'
export type { KratosLogger } from './kratos-deps'
