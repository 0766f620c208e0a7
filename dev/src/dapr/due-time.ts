// Dapr accepts three spellings for reminder times: an RFC 3339 instant, a Go duration
// ("1h30m", "500ms") and an ISO 8601 duration ("PT2S"); periods may add "R<n>/" repetitions.

/** Raised when a dueTime or period cannot be understood; the API answers 400. */
export class InvalidScheduleError extends Error {
  override name = 'InvalidScheduleError'
}

const GO_UNIT_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  'µs': 1e-3,
  'μs': 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
}
const GO_DURATION = /^[-+]?(?:(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+$/
const GO_PART = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g
const ISO_DURATION =
  /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})$/
const REPETITIONS = /^R(\d+)\/(.+)$/

function parseGoDuration(text: string): number | undefined {
  if (text === '0' || text === '+0' || text === '-0') return 0
  if (!GO_DURATION.test(text)) return undefined
  let total = 0
  for (const [, amount, unit] of text.matchAll(GO_PART)) total += Number(amount) * (GO_UNIT_MS[unit!] ?? 0)
  return text.startsWith('-') ? -total : total
}

function parseIsoDuration(text: string, from: Date): number | undefined {
  const match = ISO_DURATION.exec(text)
  if (!match || text === 'P' || text.endsWith('T')) return undefined
  const [years, months, weeks, days, hours, minutes, seconds] = match.slice(1).map((v) => Number(v ?? 0))
  const end = new Date(from.getTime())
  // Calendar units depend on the start date, like Go's time.AddDate.
  end.setUTCFullYear(end.getUTCFullYear() + years!, end.getUTCMonth() + months!, end.getUTCDate() + weeks! * 7 + days!)
  return end.getTime() - from.getTime() + hours! * 3_600_000 + minutes! * 60_000 + seconds! * 1000
}

/** Parses a Go or ISO 8601 duration into milliseconds, e.g. `parseDuration('1h30m') === 5_400_000`. */
export function parseDuration(text: string, from: Date = new Date()): number {
  const trimmed = text.trim()
  const ms = parseGoDuration(trimmed) ?? parseIsoDuration(trimmed, from)
  if (ms === undefined) {
    throw new InvalidScheduleError(`"${text}" is neither a Go duration (e.g. "15m", "500ms") nor an ISO 8601 duration (e.g. "PT2S")`)
  }
  return ms
}

/**
 * Resolves a reminder dueTime to the instant it fires; an empty dueTime means now.
 * @example parseDueTime('15m', new Date('2026-01-01T10:00:00Z')) // 2026-01-01T10:15:00Z
 */
export function parseDueTime(dueTime: string, now: Date): Date {
  const text = dueTime.trim()
  if (text === '') return new Date(now.getTime())
  if (RFC3339.test(text)) {
    const at = Date.parse(text)
    if (Number.isNaN(at)) throw new InvalidScheduleError(`dueTime "${dueTime}" is not a valid RFC 3339 time`)
    return new Date(at)
  }
  if (REPETITIONS.test(text)) throw new InvalidScheduleError(`dueTime "${dueTime}" must not carry repetitions`)
  let ms: number
  try {
    ms = parseDuration(text, now)
  } catch {
    throw new InvalidScheduleError(
      `dueTime "${dueTime}" is not an RFC 3339 time, a Go duration (e.g. "15m") or an ISO 8601 duration (e.g. "PT2S")`,
    )
  }
  if (ms < 0) throw new InvalidScheduleError(`dueTime "${dueTime}" must not be negative`)
  return new Date(now.getTime() + ms)
}

/** How a reminder repeats; `undefined` from {@link parsePeriod} means it fires once. */
export interface Period {
  intervalMs: number
  /** Total number of firings, when the period was written as "R<n>/<duration>". */
  repetitions?: number
}

/** Parses a reminder period ("1m", "PT10S", "R3/PT1S"); an empty period means a one-shot reminder. */
export function parsePeriod(period: string, from: Date): Period | undefined {
  const text = period.trim()
  if (text === '') return undefined
  const repeated = REPETITIONS.exec(text)
  const interval = repeated ? repeated[2]! : text
  let intervalMs: number
  try {
    intervalMs = parseDuration(interval, from)
  } catch {
    throw new InvalidScheduleError(`period "${period}" is not a Go duration or an ISO 8601 duration (optionally "R<n>/...")`)
  }
  if (intervalMs <= 0) throw new InvalidScheduleError(`period "${period}" must be positive`)
  if (!repeated) return { intervalMs }
  const repetitions = Number(repeated[1])
  if (repetitions < 1) throw new InvalidScheduleError(`period "${period}" must repeat at least once`)
  return { intervalMs, repetitions }
}
