import { runUntilSignal } from '@ticketing/shared/platform'
import { startExpiration } from './start'

await runUntilSignal(() => startExpiration(process.env))
