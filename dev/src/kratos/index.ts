export { startKratos, type RunningKratos, type StartKratosOptions } from './kratos-server'
export { signUpNative } from './sign-up-native'
