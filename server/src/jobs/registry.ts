// The typed job registry: every job name, its payload and its retry policy. Both queue adapters
// (in-process and BullMQ) run exactly these jobs through the same JobQueue interface.

export interface JobPayloads {
  /** Turn the stored deliveries from deliveryId through throughId (default: that one) into messages and items. */
  'delivery.process': { deliveryId: number; throughId?: number }
  /** Deliver one reply to its platform. */
  'reply.send': { replyId: number }
  /** Fetch what is new on a channel of a platform without webhooks (YouTube). */
  'channel.poll': { channelId: number }
}

export type JobName = keyof JobPayloads

export interface JobPolicy {
  attempts: number
  /** First retry delay; doubles on each later attempt. */
  backoffMs: number
}

export const JOB_POLICIES: Record<JobName, JobPolicy> = {
  'delivery.process': { attempts: 5, backoffMs: 1_000 },
  'reply.send': { attempts: 6, backoffMs: 5_000 },
  // The next time slot polls again; retrying would only spend quota twice.
  'channel.poll': { attempts: 1, backoffMs: 0 },
}

export interface JobContext {
  jobId: string
  /** 1 on the first run. */
  attempt: number
  /** True when no retry follows if this attempt fails. */
  lastAttempt: boolean
}

export type JobHandler<N extends JobName> = (data: JobPayloads[N], ctx: JobContext) => Promise<void>

export interface EnqueueOptions {
  /** Deterministic id: enqueueing an id that is waiting or running adds nothing. */
  jobId: string
  /**
   * The id was never used before (a new delivery's): BullMQ then skips looking for a finished job
   * under it, one round trip less. Should one exist after all, the job is not added and the
   * periodic requeue enqueues the work a minute later.
   */
  fresh?: boolean
}

export interface JobQueue {
  readonly kind: 'inprocess' | 'bullmq'
  enqueue<N extends JobName>(name: N, data: JobPayloads[N], opts: EnqueueOptions): Promise<void>
  /** Registers the handler for a job name and starts consuming it. */
  work<N extends JobName>(name: N, handler: JobHandler<N>, opts?: { concurrency?: number }): void
  /** Resolves once nothing is waiting, delayed or running (tests and graceful shutdown). */
  idle(): Promise<void>
  close(): Promise<void>
}

/** Thrown by a handler for a failure that retrying cannot fix (bad payload, 4xx from a platform). */
export class PermanentJobError extends Error {
  override name = 'PermanentJobError'
}

export const jobId = <N extends JobName>(name: N, key: string | number): string => `${name}:${key}`
