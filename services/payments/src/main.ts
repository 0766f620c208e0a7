import { runUntilSignal } from '@ticketing/shared/platform'
import { startPayments } from './start'

await runUntilSignal(() => startPayments(process.env))
