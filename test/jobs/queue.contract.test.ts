// One contract, two adapters: the in-process queue and BullMQ on a real Redis must behave alike.
import { Redis } from 'ioredis'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createBullmqQueue } from '../../server/src/jobs/bullmq.ts'
import { createInProcessQueue, type PolicyOverrides } from '../../server/src/jobs/inprocess.ts'
import { jobId, PermanentJobError, type JobContext, type JobQueue } from '../../server/src/jobs/registry.ts'

type QueueFactory = (opts: { policies?: PolicyOverrides }) => JobQueue

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

async function waitFor(cond: () => boolean, what: string, timeoutMs = 3_000): Promise<void> {
  const until = Date.now() + timeoutMs
  while (!cond()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`)
    await sleep(5)
  }
}

/** A promise the test resolves by hand, to hold a handler mid-run. */
function gate() {
  let open!: () => void
  const opened = new Promise<void>((r) => (open = r))
  return { opened, open }
}

const fast: PolicyOverrides = { 'delivery.process': { attempts: 3, backoffMs: 40 } }
const D = 'delivery.process' as const

function describeQueueContract(name: string, factory: QueueFactory) {
  describe(`JobQueue contract: ${name}`, () => {
    const made: JobQueue[] = []
    const make = (opts: { policies?: PolicyOverrides } = {}) => {
      const q = factory(opts)
      made.push(q)
      return q
    }
    afterEach(async () => {
      await Promise.all(made.splice(0).map((q) => q.close()))
    })

    it('runs an enqueued job once, with its payload and context', async () => {
      const q = make()
      const calls: Array<{ data: unknown; ctx: JobContext }> = []
      q.work(D, async (data, ctx) => void calls.push({ data, ctx }))
      await q.enqueue(D, { deliveryId: 7 }, { jobId: jobId(D, 7) })
      await q.idle()
      await sleep(50)
      expect(calls).toEqual([{ data: { deliveryId: 7 }, ctx: { jobId: 'delivery.process:7', attempt: 1, lastAttempt: false } }])
    })

    it('runs the same job id enqueued three times while waiting only once', async () => {
      const q = make()
      for (let i = 0; i < 3; i++) await q.enqueue(D, { deliveryId: i }, { jobId: jobId(D, 'dup') })
      const seen: unknown[] = []
      q.work(D, async (data) => void seen.push(data))
      await q.idle()
      await sleep(50)
      expect(seen).toEqual([{ deliveryId: 0 }])
    })

    it('ignores an id enqueued while it runs, and runs it again once it finished', async () => {
      const q = make()
      const g = gate()
      let runs = 0
      q.work(D, async () => {
        runs++
        if (runs === 1) await g.opened
      })
      await q.enqueue(D, { deliveryId: 1 }, { jobId: jobId(D, 'again') })
      await waitFor(() => runs === 1, 'the first run to start')
      await q.enqueue(D, { deliveryId: 1 }, { jobId: jobId(D, 'again') })
      g.open()
      await q.idle()
      expect(runs).toBe(1)
      await q.enqueue(D, { deliveryId: 1 }, { jobId: jobId(D, 'again') })
      await q.idle()
      expect(runs).toBe(2)
    })

    it('retries a temporary failure with exponential backoff until it succeeds', async () => {
      const q = make({ policies: fast })
      const calls: Array<{ at: number; ctx: JobContext }> = []
      q.work(D, async (_data, ctx) => {
        calls.push({ at: Date.now(), ctx })
        if (calls.length < 3) throw new Error('platform timed out')
      })
      await q.enqueue(D, { deliveryId: 1 }, { jobId: jobId(D, 'flaky') })
      await waitFor(() => calls.length === 3, 'three attempts')
      await q.idle()
      await sleep(100)
      expect(calls.map((c) => [c.ctx.attempt, c.ctx.lastAttempt])).toEqual([[1, false], [2, false], [3, true]])
      const [a, b, c] = calls.map((x) => x.at) as [number, number, number]
      // 40 ms then 80 ms (a little slack for timer rounding).
      expect(b - a).toBeGreaterThanOrEqual(38)
      expect(c - b).toBeGreaterThanOrEqual(78)
    })

    it('gives up after the last attempt, and the id may then be enqueued again', async () => {
      const q = make({ policies: { [D]: { attempts: 2, backoffMs: 10 } } })
      let runs = 0
      q.work(D, async () => {
        runs++
        throw new Error('still down')
      })
      await q.enqueue(D, { deliveryId: 1 }, { jobId: jobId(D, 'doomed') })
      await q.idle()
      await sleep(100)
      expect(runs).toBe(2)
      await q.enqueue(D, { deliveryId: 1 }, { jobId: jobId(D, 'doomed') })
      await q.idle()
      expect(runs).toBe(4)
    })

    it('never retries a PermanentJobError', async () => {
      const q = make({ policies: fast })
      let runs = 0
      q.work(D, async () => {
        runs++
        throw new PermanentJobError('payload refers to nothing')
      })
      await q.enqueue(D, { deliveryId: 1 }, { jobId: jobId(D, 'bad') })
      await q.idle()
      await sleep(150) // longer than the first backoff
      expect(runs).toBe(1)
    })

    it('keeps jobs enqueued before work() and runs them once a handler registers', async () => {
      const q = make()
      await q.enqueue(D, { deliveryId: 1 }, { jobId: jobId(D, 'early-1') })
      await q.enqueue(D, { deliveryId: 2 }, { jobId: jobId(D, 'early-2') })
      await sleep(50)
      const seen: number[] = []
      q.work(D, async (data) => void seen.push(data.deliveryId))
      await q.idle()
      expect(seen.sort()).toEqual([1, 2])
    })

    it('runs at most `concurrency` handlers of a name at once', async () => {
      const q = make()
      let now = 0
      let peak = 0
      let done = 0
      q.work(
        D,
        async () => {
          peak = Math.max(peak, ++now)
          await sleep(40)
          now--
          done++
        },
        { concurrency: 2 },
      )
      for (let i = 0; i < 5; i++) await q.enqueue(D, { deliveryId: i }, { jobId: jobId(D, `c${i}`) })
      await q.idle()
      expect(done).toBe(5)
      expect(peak).toBe(2)
    })

    it('resolves idle() only after running jobs finished', async () => {
      const q = make()
      const g = gate()
      let started = false
      let finished = false
      q.work(D, async () => {
        started = true
        await g.opened
        finished = true
      })
      await q.enqueue(D, { deliveryId: 1 }, { jobId: jobId(D, 'slow') })
      await waitFor(() => started, 'the handler to start')
      let idle = false
      const idleP = q.idle().then(() => (idle = true))
      await sleep(80)
      expect(idle).toBe(false)
      g.open()
      await idleP
      expect(finished).toBe(true)
    })

    it('close() waits for a running handler', async () => {
      const q = make()
      const g = gate()
      let started = false
      let finished = false
      q.work(D, async () => {
        started = true
        await g.opened
        await sleep(20)
        finished = true
      })
      await q.enqueue(D, { deliveryId: 1 }, { jobId: jobId(D, 'closing') })
      await waitFor(() => started, 'the handler to start')
      let finishedWhenClosed: boolean | undefined
      const closeP = q.close().then(() => (finishedWhenClosed = finished))
      await sleep(50)
      expect(finishedWhenClosed).toBeUndefined()
      g.open()
      await closeP
      expect(finishedWhenClosed).toBe(true)
    })
  })
}

describeQueueContract('in-process', (opts) => createInProcessQueue(opts))

describe('in-process queue only', () => {
  it('never starts a handler inside enqueue()', async () => {
    const q = createInProcessQueue()
    let started = false
    q.work(D, async () => void (started = true))
    await sleep(5)
    const p = q.enqueue(D, { deliveryId: 1 }, { jobId: jobId(D, 'sync') })
    expect(started).toBe(false)
    await p
    expect(started).toBe(false)
    await q.idle()
    expect(started).toBe(true)
    await q.close()
  })
})

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'
const runPrefix = `tanggap-test-${process.pid}-${Date.now()}`

describe('on Redis', () => {
  let admin: Redis | undefined
  let n = 0

  beforeAll(async () => {
    // CI guarantees Redis, so an unreachable one is a failure, never a skip.
    const probe = new Redis(REDIS_URL, { lazyConnect: true, connectTimeout: 2_000, maxRetriesPerRequest: 0, retryStrategy: () => null })
    let cause: Error | undefined
    probe.on('error', (err: Error) => (cause = err))
    try {
      await probe.connect()
      await probe.ping()
    } catch (err) {
      probe.disconnect()
      throw new Error(`Redis is not answering at ${REDIS_URL} (${(cause ?? (err as Error)).message}); the BullMQ contract suite needs it`)
    }
    admin = probe
  })

  afterAll(async () => {
    if (!admin) return
    let cursor = '0'
    do {
      const [next, keys] = await admin.scan(cursor, 'MATCH', `${runPrefix}*`, 'COUNT', 500)
      if (keys.length > 0) await admin.del(...keys)
      cursor = next
    } while (cursor !== '0')
    await admin.quit()
  })

  // A prefix per queue, so one test's leftovers cannot reach the next test's worker.
  describeQueueContract('bullmq', (opts) =>
    createBullmqQueue({ redisUrl: REDIS_URL, prefix: `${runPrefix}-${++n}`, role: 'both', ...opts }),
  )
})
