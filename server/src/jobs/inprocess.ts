// Embedded-mode job queue: the BullMQ contract (dedupe by job id, retries with exponential backoff,
// PermanentJobError never retried) held in memory. A restart loses waiting jobs; the periodic
// re-enqueue of unprocessed deliveries and replies recovers them.
import { performance } from 'node:perf_hooks'
import { JOB_POLICIES, PermanentJobError, type JobContext, type JobName, type JobPolicy, type JobQueue } from './registry.ts'

/** The part of a pino logger the queues use. */
export interface QueueLogger {
  info(obj: object, msg?: string): void
  warn(obj: object, msg?: string): void
  error(obj: object, msg?: string): void
}

/** Per-name policy replacements (tests use short backoffs). */
export type PolicyOverrides = Partial<Record<JobName, JobPolicy>>

export interface InProcessQueueOptions {
  logger?: QueueLogger
  /** Handlers running at once per job name unless work() says otherwise. Default 4. */
  concurrency?: number
  policies?: PolicyOverrides
  /**
   * True while requests are arriving (see lib/load-gauge.ts). Jobs then take at most `busyShare` of
   * the thread's time; otherwise they run as soon as they can.
   */
  busy?: () => boolean
  /** Default 0.25. */
  busyShare?: number
}

export const silentLogger: QueueLogger = { info() {}, warn() {}, error() {} }

export const policyFor = (name: JobName, overrides?: PolicyOverrides): JobPolicy => overrides?.[name] ?? JOB_POLICIES[name]

interface Entry {
  id: string
  data: unknown
  /** Number of the run this entry is waiting for (1 = first). */
  attempt: number
}

interface Lane {
  handler?: (data: unknown, ctx: JobContext) => Promise<void>
  concurrency: number
  waiting: Entry[]
  running: number
  /** Ids waiting, delayed or running: enqueueing one of them adds nothing. */
  live: Set<string>
  pumpScheduled: boolean
}

/** The synchronous part of starting a job: for CPU-bound handlers (delivery.process) nearly all of it. */
interface Timed<T> {
  value: T
  ms: number
}
const timed = <T>(fn: () => T): Timed<T> => {
  const t0 = performance.now()
  const value = fn()
  return { value, ms: performance.now() - t0 }
}

export function createInProcessQueue(opts: InProcessQueueOptions = {}): JobQueue {
  const log = opts.logger ?? silentLogger
  const lanes = new Map<JobName, Lane>()
  const timers = new Set<NodeJS.Timeout>()
  const running = new Set<Promise<void>>()
  let idleWaiters: Array<() => void> = []
  let closed = false
  let closing: Promise<void> | undefined
  const busyShare = opts.busyShare ?? 0.25

  const lane = (name: JobName): Lane => {
    let l = lanes.get(name)
    if (!l) {
      l = { concurrency: opts.concurrency ?? 4, waiting: [], running: 0, live: new Set(), pumpScheduled: false }
      lanes.set(name, l)
    }
    return l
  }

  const isIdle = () => [...lanes.values()].every((l) => l.live.size === 0)
  const checkIdle = () => {
    if (!isIdle()) return
    const waiters = idleWaiters
    idleWaiters = []
    for (const resolve of waiters) resolve()
  }

  // Handlers always start from a later macrotask, never inside enqueue() or work().
  const schedulePump = (name: JobName, delayMs = 0) => {
    const l = lane(name)
    if (l.pumpScheduled) return
    l.pumpScheduled = true
    const run = () => {
      l.pumpScheduled = false
      pump(name)
    }
    if (delayMs <= 0) return void setImmediate(run)
    const timer = setTimeout(() => {
      timers.delete(timer)
      run()
    }, delayMs)
    timers.add(timer)
  }

  // While busy, jobs spend credit: it grows by `busyShare` of the time that passes (up to a few
  // milliseconds saved), and every job's synchronous time is taken from it. Without credit the
  // next job waits until enough has grown back, so small jobs are not held up like large ones.
  let credit = 0
  let creditAt = performance.now()
  const CREDIT_CAP_MS = 10

  const pump = (name: JobName) => {
    const l = lane(name)
    while (!closed && l.handler && l.running < l.concurrency && l.waiting.length) {
      const busy = opts.busy?.() ?? false
      if (busy) {
        const now = performance.now()
        credit = Math.min(CREDIT_CAP_MS, credit + (now - creditAt) * busyShare)
        creditAt = now
        if (credit <= 0) return schedulePump(name, Math.ceil(-credit / busyShare))
      }
      const entry = l.waiting.shift()!
      const { value: p, ms } = timed(() => execute(name, l, l.handler!, entry))
      running.add(p)
      void p.finally(() => running.delete(p))
      if (busy) credit -= ms
    }
  }

  const execute = async (name: JobName, l: Lane, handler: NonNullable<Lane['handler']>, entry: Entry) => {
    l.running++
    const policy = policyFor(name, opts.policies)
    const ctx: JobContext = { jobId: entry.id, attempt: entry.attempt, lastAttempt: entry.attempt >= policy.attempts }
    const about = { job: name, jobId: entry.id, attempt: entry.attempt }
    try {
      await handler(entry.data, ctx)
      l.live.delete(entry.id)
    } catch (err) {
      const permanent = err instanceof PermanentJobError
      if (permanent || ctx.lastAttempt || closed) {
        l.live.delete(entry.id)
        const why = permanent ? 'permanent error' : ctx.lastAttempt ? 'last attempt failed' : 'queue closing'
        log.error({ ...about, err }, `job dropped: ${why}`)
      } else {
        const delay = policy.backoffMs * 2 ** (entry.attempt - 1)
        log.warn({ ...about, err, retryInMs: delay }, 'job failed, will retry')
        const timer = setTimeout(() => {
          timers.delete(timer)
          l.waiting.push({ ...entry, attempt: entry.attempt + 1 })
          pump(name)
        }, delay)
        timers.add(timer)
      }
    } finally {
      l.running--
      // From a later macrotask: a chain of jobs started from here would run in microtasks and keep
      // every request (and the busy check) waiting until the queue is empty.
      schedulePump(name)
      checkIdle()
    }
  }

  return {
    kind: 'inprocess',

    async enqueue(name, data, { jobId }) {
      if (closed) throw new Error(`job queue is closed: cannot enqueue ${jobId}`)
      const l = lane(name)
      if (l.live.has(jobId)) return
      l.live.add(jobId)
      l.waiting.push({ id: jobId, data, attempt: 1 })
      schedulePump(name)
    },

    work(name, handler, wopts) {
      const l = lane(name)
      if (l.handler) throw new Error(`a handler for ${name} is already registered`)
      l.handler = handler as Lane['handler']
      if (wopts?.concurrency !== undefined) l.concurrency = wopts.concurrency
      schedulePump(name)
    },

    idle() {
      if (isIdle()) return Promise.resolve()
      return new Promise<void>((resolve) => idleWaiters.push(resolve))
    },

    close() {
      closing ??= (async () => {
        closed = true
        for (const t of timers) clearTimeout(t)
        timers.clear()
        const dropped = [...lanes.values()].reduce((n, l) => n + l.live.size - l.running, 0)
        if (dropped > 0) log.info({ dropped }, 'job queue closed with jobs waiting; they are not kept')
        for (const l of lanes.values()) l.waiting = []
        await Promise.allSettled([...running])
        for (const l of lanes.values()) l.live.clear()
        checkIdle()
      })()
      return closing
    },
  }
}
