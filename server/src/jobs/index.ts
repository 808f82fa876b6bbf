// Picks the queue for the run mode: BullMQ when Redis is configured, in-process otherwise.
import { createBullmqQueue } from './bullmq.ts'
import { createInProcessQueue, type PolicyOverrides, type QueueLogger } from './inprocess.ts'
import type { JobQueue } from './registry.ts'

export type { PolicyOverrides, QueueLogger } from './inprocess.ts'

export interface JobQueueOptions {
  redisUrl?: string | null
  redisPrefix: string
  logger: QueueLogger
  /** Redis mode only: 'producer' for web processes beside separate workers. Default 'both'. */
  role?: 'producer' | 'both'
  concurrency?: number
  policies?: PolicyOverrides
  /** In-process queue: true while requests arrive, so jobs step aside (see lib/load-gauge.ts). */
  busy?: () => boolean
}

export function createJobQueue(opts: JobQueueOptions): JobQueue {
  const common = { logger: opts.logger, concurrency: opts.concurrency, policies: opts.policies }
  return opts.redisUrl
    ? createBullmqQueue({ ...common, redisUrl: opts.redisUrl, prefix: opts.redisPrefix, role: opts.role ?? 'both' })
    : createInProcessQueue({ ...common, busy: opts.busy })
}
