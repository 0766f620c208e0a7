import type { LogSink } from '@ticketing/shared/platform'
import { invokeReminder } from './app-channel'
import type { AppRegistry } from './app-registry'
import { parseDueTime, parsePeriod } from './due-time'
import type { InFlight } from './in-flight'
import type { ReminderSpec, ReminderStore, StoredReminder } from './reminder-store'
import { nextDelayMs, pause, type RetryPolicy } from './retry-policy'

export type { ReminderSpec } from './reminder-store'

/** Actor reminders kept for every sidecar of the process, like Dapr's Scheduler service. */
export interface Reminders {
  /** Registers or replaces a reminder; throws InvalidScheduleError on a bad dueTime or period. */
  set(actorType: string, actorId: string, name: string, spec: ReminderSpec): void
  get(actorType: string, actorId: string, name: string): ReminderSpec | undefined
  delete(actorType: string, actorId: string, name: string): void
  /** Fires reminders that came due while no app hosted their actor type. */
  hostsChanged(): void
  /** Distinct actor ids of the type that have reminders. */
  actorCount(actorType: string): number
  /** Cancels the timers; the reminders stay stored for the next start. */
  close(): void
}

interface Reminder extends StoredReminder {
  timer?: NodeJS.Timeout
  waitingForHost: boolean
}

interface ReminderDeps {
  store: ReminderStore
  apps: AppRegistry
  policy: RetryPolicy
  logger: LogSink
  inFlight: InFlight
  signal: AbortSignal
}

// setTimeout overflows above 2^31−1 ms; longer waits are taken in steps.
const MAX_TIMER_MS = 2_147_483_647

/** Creates the reminder scheduler half of the broker and schedules every stored reminder again. */
export function createReminders(deps: ReminderDeps): Reminders {
  const { store, apps, policy, logger, inFlight, signal } = deps
  // The scheduled reminders with their timers; the store is what survives a restart.
  const reminders = new Map<string, Reminder>()
  const keyOf = (actorType: string, actorId: string, name: string) => JSON.stringify([actorType, actorId, name])

  function schedule(reminder: Reminder): void {
    clearTimeout(reminder.timer)
    const delay = Math.max(0, reminder.nextAt - Date.now())
    reminder.timer = setTimeout(() => (delay > MAX_TIMER_MS ? schedule(reminder) : void fire(reminder)), Math.min(delay, MAX_TIMER_MS))
    reminder.timer.unref()
  }

  function track(stored: StoredReminder): void {
    const reminder: Reminder = { ...stored, waitingForHost: false }
    const key = keyOf(reminder.actorType, reminder.actorId, reminder.name)
    clearTimeout(reminders.get(key)?.timer)
    reminders.set(key, reminder)
    schedule(reminder)
  }

  const isCurrent = (reminder: Reminder) =>
    reminders.get(keyOf(reminder.actorType, reminder.actorId, reminder.name)) === reminder

  async function fire(reminder: Reminder): Promise<void> {
    if (!isCurrent(reminder) || signal.aborted) return
    if (!apps.hostOf(reminder.actorType)) {
      reminder.waitingForHost = true
      logger.warn({ actorType: reminder.actorType, actorId: reminder.actorId, reminder: reminder.name }, 'no app hosts the actor type yet; the reminder waits')
      return
    }
    reminder.waitingForHost = false
    const done = inFlight.begin()
    try {
      await deliverWithRetries(reminder)
      afterFiring(reminder)
    } finally {
      done()
    }
  }

  async function deliverWithRetries(reminder: Reminder): Promise<void> {
    const { actorType, actorId, name, spec } = reminder
    // daprd fires with empty dueTime and period, whatever was registered.
    const body = { data: spec.data ?? null, dueTime: '', period: '' }
    const log = { actorType, actorId, reminder: name }
    const startedAt = Date.now()
    for (let attemptNo = 1; ; attemptNo += 1) {
      const host = apps.hostOf(actorType)
      const result = host
        ? await invokeReminder(host.appUrl, { actorType, actorId, name }, body, signal)
        : { ok: false as const, reason: 'no app hosts the actor type' }
      if (result.ok || signal.aborted || !isCurrent(reminder)) return
      const delay = nextDelayMs(policy, attemptNo, Date.now() - startedAt)
      if (delay === undefined) {
        logger.error({ ...log, reason: result.reason, attempts: attemptNo }, 'reminder failed, giving up this firing')
        return
      }
      logger.warn({ ...log, attempt: attemptNo, reason: result.reason, retryInMs: delay }, 'reminder failed, retrying')
      if (!(await pause(delay, signal))) return
    }
  }

  /** Stores the firing; a firing cut short by close() is not stored, so it happens again after the restart. */
  function afterFiring(reminder: Reminder): void {
    if (!isCurrent(reminder) || signal.aborted) return
    reminder.firings += 1
    const { period } = reminder
    if (!period || (period.repetitions !== undefined && reminder.firings >= period.repetitions)) {
      reminders.delete(keyOf(reminder.actorType, reminder.actorId, reminder.name))
      store.delete(reminder.actorType, reminder.actorId, reminder.name)
      return
    }
    reminder.nextAt = Math.max(reminder.nextAt + period.intervalMs, Date.now())
    store.save(reminder)
    schedule(reminder)
  }

  for (const stored of store.all()) track(stored)

  return {
    set(actorType, actorId, name, spec) {
      const now = new Date()
      const dueAt = parseDueTime(spec.dueTime, now)
      const period = parsePeriod(spec.period, dueAt)
      const reminder = { actorType, actorId, name, spec, period, nextAt: dueAt.getTime(), firings: 0 }
      store.save(reminder)
      track(reminder)
    },
    get: (actorType, actorId, name) => store.get(actorType, actorId, name)?.spec,
    delete(actorType, actorId, name) {
      const key = keyOf(actorType, actorId, name)
      clearTimeout(reminders.get(key)?.timer)
      reminders.delete(key)
      store.delete(actorType, actorId, name)
    },
    hostsChanged() {
      for (const reminder of reminders.values()) if (reminder.waitingForHost) void fire(reminder)
    },
    actorCount: (actorType) => store.actorCount(actorType),
    close() {
      for (const reminder of reminders.values()) clearTimeout(reminder.timer)
      reminders.clear()
    },
  }
}
