// Redis-mode job queue on BullMQ: one BullMQ queue per job name, under the configured key prefix.
// Web processes are producers; `worker` processes (or a single process in role 'both') consume.
import { Queue, UnrecoverableError, Worker, type Job } from 'bullmq'
import { Redis } from 'ioredis'
import { policyFor, silentLogger, type PolicyOverrides, type QueueLogger } from './inprocess.ts'
import { JOB_POLICIES, PermanentJobError, type JobContext, type JobName, type JobQueue } from './registry.ts'

export interface BullmqQueueOptions {
  redisUrl: string
  /** BullMQ key prefix: every key lives under `${prefix}:${jobName}:`. */
  prefix: string
  logger?: QueueLogger
  /** 'producer' only enqueues; work() needs 'both'. */
  role: 'producer' | 'both'
  /** Default worker concurrency per job name. Default 4. */
  concurrency?: number
  policies?: PolicyOverrides
}

// BullMQ 6 rejects custom ids containing ':' (ours are `name:key`) and ids that look like integers.
// Percent-encoding ':' (and '%' itself) keeps the mapping reversible, so handlers see our id.
const toBullId = (id: string): string => id.replaceAll('%', '%25').replaceAll(':', '%3A')
const fromBullId = (id: string): string => id.replaceAll('%3A', ':').replaceAll('%25', '%')

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

export function createBullmqQueue(opts: BullmqQueueOptions): JobQueue {
  const log = opts.logger ?? silentLogger
  // Producer connection, shared by the queues and left open by BullMQ; we quit it last.
  const connection = new Redis(opts.redisUrl)
  connection.on('error', (err) => log.error({ err }, 'job queue redis connection error'))
  const queues = new Map<JobName, Queue>()
  const workers: Worker[] = []
  let closed = false
  let closing: Promise<void> | undefined

  const queueFor = (name: JobName): Queue => {
    let q = queues.get(name)
    if (!q) {
      q = new Queue(name, { connection, prefix: opts.prefix })
      q.on('error', (err) => log.error({ err, job: name }, 'job queue error'))
      queues.set(name, q)
    }
    return q
  }

  return {
    kind: 'bullmq',

    async enqueue(name, data, { jobId, fresh }) {
      if (closed) throw new Error(`job queue is closed: cannot enqueue ${jobId}`)
      const queue = queueFor(name)
      const id = toBullId(jobId)
      // removeOnFail keeps finally failed jobs for inspection, and BullMQ ignores an add whose id
      // still exists; the contract lets a finished id run again, so clear the old record first.
      const state = fresh ? null : await queue.getJobState(id)
      if (state === 'failed' || state === 'completed') await queue.remove(id)
      const policy = policyFor(name, opts.policies)
      await queue.add(name, data, {
        jobId: id,
        attempts: policy.attempts,
        backoff: { type: 'exponential', delay: policy.backoffMs },
        removeOnComplete: true,
        removeOnFail: 1000,
      })
    },

    work(name, handler, wopts) {
      if (opts.role !== 'both') throw new Error(`job queue in role '${opts.role}' cannot work ${name}`)
      if (closed) throw new Error(`job queue is closed: cannot work ${name}`)
      const worker = new Worker(
        name,
        async (job: Job) => {
          const attempt = job.attemptsMade + 1
          const ctx: JobContext = {
            jobId: fromBullId(job.id ?? ''),
            attempt,
            lastAttempt: attempt >= (job.opts.attempts ?? 1),
          }
          try {
            await handler(job.data, ctx)
          } catch (err) {
            if (err instanceof PermanentJobError) throw new UnrecoverableError(err.message)
            throw err
          }
        },
        {
          // BullMQ owns (and closes) the worker connections; blocking commands need no retry cap.
          connection: { url: opts.redisUrl, maxRetriesPerRequest: null },
          prefix: opts.prefix,
          concurrency: wopts?.concurrency ?? opts.concurrency ?? 4,
        },
      )
      worker.on('failed', (job, err) => {
        if (!job) return
        const about = { job: name, jobId: fromBullId(job.id ?? ''), attempt: job.attemptsMade, err }
        // finishedOn is set only when BullMQ moved the job to failed instead of scheduling a retry.
        if (job.finishedOn) log.error(about, 'job dropped: failed for good')
        else log.warn(about, 'job failed, will retry')
      })
      worker.on('error', (err) => log.error({ err, job: name }, 'job worker error'))
      workers.push(worker)
    },

    async idle() {
      const all = Object.keys(JOB_POLICIES) as JobName[]
      for (;;) {
        if (closed) return
        const counts = await Promise.all(all.map((n) => queueFor(n).getJobCounts('waiting', 'active', 'delayed', 'prioritized')))
        if (counts.every((c) => Object.values(c).every((v) => v === 0))) return
        await sleep(20)
      }
    },

    close() {
      closing ??= (async () => {
        closed = true
        await Promise.all(workers.map((w) => w.close()))
        await Promise.all([...queues.values()].map((q) => q.close()))
        await connection.quit().catch(() => connection.disconnect())
      })()
      return closing
    },
  }
}
