import { runUntilSignal } from '@ticketing/shared/platform'
import { startAuth } from './start'

await runUntilSignal(() => startAuth(process.env))
