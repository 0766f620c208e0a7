import { runUntilSignal } from '@ticketing/shared/platform'
import { startTickets } from './start'

await runUntilSignal(() => startTickets(process.env))
