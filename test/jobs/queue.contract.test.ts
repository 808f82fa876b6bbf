// One contract, two adapters: the in-process queue and BullMQ on a real Redis must behave alike.
import { afterEach, describe, expect, it } from 'vitest'
import { createBullmqQueue } from '../../server/src/jobs/bullmq.ts'
import { createInProcessQueue, type PolicyOverrides } from '../../server/src/jobs/inprocess.ts'
import { jobId, PermanentJobError, type JobContext, type JobQueue } from '../../server/src/jobs/registry.ts'
import { REDIS_URL, requireRedis, runPrefix } from '../helpers/redis.ts'
import { sleep, waitFor } from '../helpers/wait.ts'

type QueueFactory = (opts: { policies?: PolicyOverrides }) => JobQueue

/** A promise the test resolves by hand, to hold a handler mid-run. */
function gate() {
  let open!: () => void
  const opened = new Promise<void>((r) => (open = r))
  return { opened, open }
}

const fast: PolicyOverrides = { 'delivery.process': { attempts: 3, backoffMs: 40 } }
const D = 'delivery.process' as const

/** Enqueues delivery 1 under the job id `key`. */
const enqueueOne = (q: JobQueue, key: string) => q.enqueue(D, { deliveryId: 1 }, { jobId: jobId(D, key) })

/** Starts one job under `key` whose handler, once running, waits to be opened (then `thenMs`) before it finishes. */
async function startHeldJob(q: JobQueue, key: string, thenMs = 0): Promise<{ open(): void; finished(): boolean }> {
  const g = gate()
  let started = false
  let finished = false
  q.work(D, async () => {
    started = true
    await g.opened
    if (thenMs > 0) await sleep(thenMs)
    finished = true
  })
  await enqueueOne(q, key)
  await waitFor(() => started, 'the handler to start')
  return { open: g.open, finished: () => finished }
}

/** Enqueues delivery 1 under `key` and waits until the queue has run everything. */
async function runOne(q: JobQueue, key: string): Promise<void> {
  await enqueueOne(q, key)
  await q.idle()
}

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
      await enqueueOne(q, 'again')
      await waitFor(() => runs === 1, 'the first run to start')
      await enqueueOne(q, 'again')
      g.open()
      await q.idle()
      expect(runs).toBe(1)
      await runOne(q, 'again')
      expect(runs).toBe(2)
    })

    it('retries a temporary failure with exponential backoff until it succeeds', async () => {
      const q = make({ policies: fast })
      const calls: Array<{ at: number; ctx: JobContext }> = []
      q.work(D, async (_data, ctx) => {
        calls.push({ at: Date.now(), ctx })
        if (calls.length < 3) throw new Error('platform timed out')
      })
      await enqueueOne(q, 'flaky')
      await waitFor(() => calls.length === 3, 'three attempts')
      await q.idle()
      await sleep(100)
      expect(calls.map((c) => [c.ctx.attempt, c.ctx.lastAttempt])).toEqual([
        [1, false],
        [2, false],
        [3, true],
      ])
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
      await runOne(q, 'doomed')
      await sleep(100)
      expect(runs).toBe(2)
      await runOne(q, 'doomed')
      expect(runs).toBe(4)
    })

    it('never retries a PermanentJobError', async () => {
      const q = make({ policies: fast })
      let runs = 0
      q.work(D, async () => {
        runs++
        throw new PermanentJobError('payload refers to nothing')
      })
      await runOne(q, 'bad')
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
      expect(seen.sort((a, b) => a - b)).toEqual([1, 2])
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
      const job = await startHeldJob(q, 'slow')
      let idle = false
      const idleP = q.idle().then(() => (idle = true))
      await sleep(80)
      expect(idle).toBe(false)
      job.open()
      await idleP
      expect(job.finished()).toBe(true)
    })

    it('close() waits for a running handler', async () => {
      const q = make()
      const job = await startHeldJob(q, 'closing', 20)
      let finishedWhenClosed: boolean | undefined
      const closeP = q.close().then(() => (finishedWhenClosed = job.finished()))
      await sleep(50)
      expect(finishedWhenClosed).toBeUndefined()
      job.open()
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
    const p = enqueueOne(q, 'sync')
    expect(started).toBe(false)
    await p
    expect(started).toBe(false)
    await q.idle()
    expect(started).toBe(true)
    await q.close()
  })
})

const prefix = runPrefix()

describe('on Redis', () => {
  let n = 0
  requireRedis('the BullMQ contract suite', prefix)

  // A prefix per queue, so one test's leftovers cannot reach the next test's worker.
  describeQueueContract('bullmq', (opts) => createBullmqQueue({ redisUrl: REDIS_URL, prefix: `${prefix}-${++n}`, role: 'both', ...opts }))
})
