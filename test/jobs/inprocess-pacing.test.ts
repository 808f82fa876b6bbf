// Embedded mode: while deliveries arrive, in-process jobs take only a share of the thread, so the
// requests are answered first; when nothing arrives they run at once.
import { afterEach, describe, expect, it } from 'vitest'
import { performance } from 'node:perf_hooks'
import { createInProcessQueue } from '../../server/src/jobs/inprocess.ts'
import { jobId, type JobQueue } from '../../server/src/jobs/registry.ts'

const D = 'delivery.process' as const

/** Keeps the thread busy for `ms`, as processing a batch of deliveries does. */
function spin(ms: number): void {
  const until = performance.now() + ms
  while (performance.now() < until);
}

const queues: JobQueue[] = []
afterEach(async () => {
  for (const q of queues.splice(0)) await q.close()
})

async function runFive(busy: boolean, jobMs: number): Promise<{ starts: number[]; ends: number[]; timerFiredAfter: number }> {
  const q = createInProcessQueue({ busy: () => busy, busyShare: 0.25 })
  queues.push(q)
  const starts: number[] = []
  const ends: number[] = []
  q.work(D, async () => {
    starts.push(performance.now())
    spin(jobMs)
    ends.push(performance.now())
  })
  let timerFiredAfter = -1
  setTimeout(() => void (timerFiredAfter = ends.length), 1)
  for (let i = 1; i <= 5; i++) await q.enqueue(D, { deliveryId: i }, { jobId: jobId(D, i) })
  await q.idle()
  await new Promise((r) => setTimeout(r, 5))
  return { starts, ends, timerFiredAfter }
}

describe('in-process jobs while deliveries arrive', () => {
  it('take at most a quarter of the thread, leaving the rest to requests', async () => {
    const { starts, ends, timerFiredAfter } = await runFive(true, 8)
    expect(starts).toHaveLength(5)
    // 40 ms of jobs at a 25 % share need 160 ms; at most 10 ms of saved-up credit shortens that.
    expect(ends[4]! - starts[0]!).toBeGreaterThanOrEqual((5 * 8 - 10) / 0.25 - 5)
    // A timer due 1 ms after the first job got its turn long before the last job ran.
    expect(timerFiredAfter).toBeLessThan(5)
  })

  it('run back to back when nothing arrives', async () => {
    const { starts, timerFiredAfter } = await runFive(false, 8)
    expect(starts).toHaveLength(5)
    // Four run in the same turn of the event loop (concurrency 4), before a 1 ms timer can fire.
    expect(timerFiredAfter).toBeGreaterThanOrEqual(4)
  })
})

describe('in-process jobs and the event loop', () => {
  it('let timers and I/O run between jobs while a backlog drains', async () => {
    const q = createInProcessQueue({ concurrency: 1 })
    queues.push(q)
    let done = 0
    q.work(D, async () => {
      spin(2)
      done++
    })
    let doneWhenTimerFired = -1
    setTimeout(() => void (doneWhenTimerFired = done), 5)
    for (let i = 1; i <= 50; i++) await q.enqueue(D, { deliveryId: i }, { jobId: jobId(D, i) })
    await q.idle()
    await new Promise((r) => setTimeout(r, 10))
    // 50 jobs of 2 ms take 100 ms; a timer due after 5 ms fires long before the last one ran.
    expect(doneWhenTimerFired).toBeGreaterThanOrEqual(0)
    expect(doneWhenTimerFired).toBeLessThan(40)
  })
})
