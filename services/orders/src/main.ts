import { runUntilSignal } from '@ticketing/shared/platform'
import { startOrders } from './start'

await runUntilSignal(() => startOrders(process.env))
