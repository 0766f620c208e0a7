import type { LogSink } from '@ticketing/shared/platform'
import { invokeReminder } from './app-channel'
import type { AppRegistry } from './app-registry'
import { parseDueTime, parsePeriod, type Period } from './due-time'
import type { InFlight } from './in-flight'
import { backoffMs, pause, type RetryPolicy } from './retry-policy'

/** A reminder as registered through `/v1.0/actors/{type}/{id}/reminders/{name}`. */
export interface ReminderSpec {
  dueTime: string
  period: string
  data?: unknown
}

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
  close(): void
}

interface Reminder {
  actorType: string
  actorId: string
  name: string
  spec: ReminderSpec
  period?: Period
  nextAt: number
  firings: number
  timer?: NodeJS.Timeout
  waitingForHost: boolean
}

interface ReminderDeps {
  apps: AppRegistry
  policy: RetryPolicy
  logger: LogSink
  inFlight: InFlight
  signal: AbortSignal
}

// setTimeout overflows above 2^31−1 ms; longer waits are taken in steps.
const MAX_TIMER_MS = 2_147_483_647

/** Creates the reminder scheduler half of the broker. */
export function createReminders(deps: ReminderDeps): Reminders {
  const { apps, policy, logger, inFlight, signal } = deps
  const reminders = new Map<string, Reminder>()
  const keyOf = (actorType: string, actorId: string, name: string) => JSON.stringify([actorType, actorId, name])

  function schedule(reminder: Reminder): void {
    clearTimeout(reminder.timer)
    const delay = Math.max(0, reminder.nextAt - Date.now())
    reminder.timer = setTimeout(() => (delay > MAX_TIMER_MS ? schedule(reminder) : void fire(reminder)), Math.min(delay, MAX_TIMER_MS))
    reminder.timer.unref()
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
    const body = { data: spec.data ?? null, dueTime: spec.dueTime, period: spec.period }
    const log = { actorType, actorId, reminder: name }
    for (let attemptNo = 1; attemptNo <= policy.maxAttempts; attemptNo += 1) {
      const host = apps.hostOf(actorType)
      const result = host
        ? await invokeReminder(host.appUrl, { actorType, actorId, name }, body, signal)
        : { ok: false as const, reason: 'no app hosts the actor type' }
      if (result.ok || signal.aborted || !isCurrent(reminder)) return
      if (attemptNo === policy.maxAttempts) {
        logger.error({ ...log, reason: result.reason, attempts: attemptNo }, 'reminder failed, giving up this firing')
        return
      }
      const delay = backoffMs(policy, attemptNo)
      logger.warn({ ...log, attempt: attemptNo, reason: result.reason, retryInMs: delay }, 'reminder failed, retrying')
      if (!(await pause(delay, signal))) return
    }
  }

  function afterFiring(reminder: Reminder): void {
    if (!isCurrent(reminder) || signal.aborted) return
    reminder.firings += 1
    const { period } = reminder
    if (!period || (period.repetitions !== undefined && reminder.firings >= period.repetitions)) {
      reminders.delete(keyOf(reminder.actorType, reminder.actorId, reminder.name))
      return
    }
    reminder.nextAt = Math.max(reminder.nextAt + period.intervalMs, Date.now())
    schedule(reminder)
  }

  return {
    set(actorType, actorId, name, spec) {
      const now = new Date()
      const dueAt = parseDueTime(spec.dueTime, now)
      const period = parsePeriod(spec.period, dueAt)
      const key = keyOf(actorType, actorId, name)
      clearTimeout(reminders.get(key)?.timer)
      const reminder: Reminder = { actorType, actorId, name, spec, period, nextAt: dueAt.getTime(), firings: 0, waitingForHost: false }
      reminders.set(key, reminder)
      schedule(reminder)
    },
    get(actorType, actorId, name) {
      return reminders.get(keyOf(actorType, actorId, name))?.spec
    },
    delete(actorType, actorId, name) {
      const key = keyOf(actorType, actorId, name)
      clearTimeout(reminders.get(key)?.timer)
      reminders.delete(key)
    },
    hostsChanged() {
      for (const reminder of reminders.values()) if (reminder.waitingForHost) void fire(reminder)
    },
    actorCount(actorType) {
      const ids = new Set<string>()
      for (const reminder of reminders.values()) if (reminder.actorType === actorType) ids.add(reminder.actorId)
      return ids.size
    },
    close() {
      for (const reminder of reminders.values()) clearTimeout(reminder.timer)
      reminders.clear()
    },
  }
}
