/** Counts work in progress so callers can wait until nothing is pending. */
export interface InFlight {
  /** Marks one unit of work as started; call the returned function once it ends. */
  begin(): () => void
  /** Resolves once no work is pending (immediately if none is). */
  idle(): Promise<void>
}

/** Creates an in-flight counter whose idle() resolves when the count drops to zero. */
export function createInFlight(): InFlight {
  let pending = 0
  let waiters: Array<() => void> = []
  const release = () => {
    if (pending > 0) return
    const ready = waiters
    waiters = []
    for (const resolve of ready) resolve()
  }
  return {
    begin() {
      pending += 1
      let ended = false
      return () => {
        if (ended) return
        ended = true
        pending -= 1
        // Let work started in the same tick (e.g. a dead-letter publish) register before releasing waiters.
        queueMicrotask(release)
      }
    },
    idle() {
      if (pending === 0) return Promise.resolve()
      return new Promise((resolve) => waiters.push(resolve))
    },
  }
}
