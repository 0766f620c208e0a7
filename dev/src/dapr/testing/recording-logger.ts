import type { LogSink } from '@ticketing/shared/platform'

/** One log line kept by {@link createRecordingLogger}. */
export interface LogEntry {
  level: 'info' | 'warn' | 'error'
  obj: Record<string, unknown>
  msg?: string
}

/** A logger that keeps its lines in memory so tests can assert what was logged. */
export function createRecordingLogger(): LogSink & { entries: LogEntry[] } {
  const entries: LogEntry[] = []
  const at = (level: LogEntry['level']) => (obj: object, msg?: string) =>
    void entries.push({ level, obj: obj as Record<string, unknown>, msg })
  return { entries, info: at('info'), warn: at('warn'), error: at('error') }
}
