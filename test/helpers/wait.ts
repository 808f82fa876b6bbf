// Waiting in tests: a plain sleep, and polling until a condition holds.

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))

/** Polls fn until it returns a truthy value and returns that value (jobs and events run asynchronously). */
export async function eventually<T>(fn: () => T | Promise<T>, timeoutMs = 5000, what = 'condition'): Promise<NonNullable<T>> {
  const until = Date.now() + timeoutMs
  for (;;) {
    const v = await fn()
    if (v) return v as NonNullable<T>
    if (Date.now() > until) throw new Error(`${what} not met in time`)
    await sleep(5)
  }
}

/** Waits until cond holds, naming what it waited for when it never does. */
export const waitFor = (cond: () => boolean, what: string, timeoutMs = 5000): Promise<void> => eventually(cond, timeoutMs, what).then(() => {})
