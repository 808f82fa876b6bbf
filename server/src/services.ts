// Wires repositories and services from the process's dependencies. Shared by the web process
// (buildApp) and the worker process, so both run the same code.
import type { Db, Sqlite } from '@tanggap/db'
import type { FastifyBaseLogger } from 'fastify'
import type { Redis } from 'ioredis'
import type { Config } from './config.ts'
import type { EventBus } from './events/bus.ts'
import type { JobQueue } from './jobs/registry.ts'
import type { Ctx } from './lib/context.ts'
import { createRateLimiter } from './lib/rate-limiter.ts'
import { authRepo } from './modules/auth/auth.repo.ts'
import { authService } from './modules/auth/auth.service.ts'
import { loginThrottle } from './modules/auth/login-throttle.ts'
import { channelsRepo } from './modules/channels/channels.repo.ts'
import { deliveriesRepo } from './modules/deliveries/deliveries.repo.ts'
import { deliveriesService } from './modules/deliveries/deliveries.service.ts'
import { deliveryIntake } from './modules/deliveries/intake.ts'
import { bodyRetention } from './modules/deliveries/retention.ts'
import type { LoadGauge } from './lib/load-gauge.ts'
import { itemsRepo } from './modules/items/items.repo.ts'
import { itemsService } from './modules/items/items.service.ts'
import { repliesService } from './modules/items/replies.service.ts'
import { channelsService } from './modules/channels/channels.service.ts'
import { pollService } from './modules/channels/poll.service.ts'
import { quotaRepo } from './modules/channels/quota.repo.ts'
import { opdsRepo } from './modules/opds/opds.repo.ts'
import { slaClock } from './modules/sla/clock.service.ts'
import { slaScheduler } from './modules/sla/scheduler.ts'
import { slaRepo } from './modules/sla/sla.repo.ts'
import { slaService } from './modules/sla/sla.service.ts'
import { soleLeader, type LeaderLock } from './lib/leader.ts'
import { publicService } from './modules/public/public.service.ts'

export interface ServiceDeps {
  db: Db
  jobs: JobQueue
  bus: EventBus
  config: Config
  clock: () => number
  log: FastifyBaseLogger
  /** Who may run the SLA scheduler (redis mode: one process at a time). */
  leader?: LeaderLock
  /** The connection new deliveries are written through; default the main one (see intake.ts). */
  intakeSqlite?: Sqlite
  /** Told of every arriving delivery. */
  load?: Pick<LoadGauge, 'arrival'>
  /** Redis mode: counters every process shares (sign-in failures). */
  redis?: Redis
}

export function createServices(deps: ServiceDeps) {
  const { db, jobs, bus, clock, config } = deps
  const repos = {
    auth: authRepo(db),
    channels: channelsRepo(db, config.secretKey),
    deliveries: deliveriesRepo(db),
    items: itemsRepo(db),
    opds: opdsRepo(db),
  }
  const sla = slaRepo(db)
  const quota = quotaRepo(db)
  const clockOfSla = slaClock({ db, sla })
  const intake = deliveryIntake({
    sqlite: deps.intakeSqlite ?? db.$client,
    onStored: (ids) => deliveries.enqueueStored(ids),
    onArrival: deps.load?.arrival,
    log: deps.log,
    gatherMs: jobs.kind === 'bullmq' ? 10 : 0,
  })
  const deliveries = deliveriesService({
    db,
    deliveries: repos.deliveries,
    items: repos.items,
    opds: repos.opds,
    channels: repos.channels,
    slaClock: clockOfSla,
    jobs,
    intake,
    bus,
    clock,
    platformApi: config.platformApi,
    // Redis mode: other processes write the same file (see intake.ts).
    lockPauseMs: config.redisUrl ? 4 : 0,
  })
  return {
    repos,
    sla,
    slaClock: clockOfSla,
    slaSettings: slaService({ db, sla, items: repos.items, opds: repos.opds, clock, timeZone: config.timeZone }),
    scheduler: slaScheduler({ db, sla, clock: clockOfSla, items: repos.items, bus, now: clock, leader: deps.leader ?? soleLeader(), log: deps.log }),
    auth: authService({
      db,
      repo: repos.auth,
      clock,
      sessionTtlMs: config.sessionTtlHours * 3_600_000,
      throttle: loginThrottle({
        redis: deps.redis,
        prefix: config.redisPrefix,
        log: deps.log,
        clock,
        max: config.loginLock.failures,
        windowMs: config.loginLock.lockMinutes * 60_000,
      }),
    }),
    items: itemsService({ db, items: repos.items, opds: repos.opds, slaClock: clockOfSla, jobs, bus, clock }),
    replies: repliesService({
      db,
      items: repos.items,
      channels: repos.channels,
      slaClock: clockOfSla,
      jobs,
      bus,
      clock,
      platformApi: config.platformApi,
      limiter: createRateLimiter(),
      quota: quota,
    }),
    deliveries,
    intake,
    retention: bodyRetention({ deliveries: repos.deliveries, clock, retentionDays: config.rawBodyRetentionDays }),
    channels: channelsService({
      db,
      channels: repos.channels,
      opds: repos.opds,
      quota,
      config,
      clock,
      onChannelAdded: (platform, accountId) => deliveries.retryForNewChannel(platform, accountId),
    }),
    poll: pollService({
      db,
      channels: repos.channels,
      deliveries,
      quota,
      jobs,
      platformApi: config.platformApi,
      pollIntervalMs: config.pollIntervalSeconds * 1000,
      clock,
    }),
    public: publicService({ deliveries, deliveriesRepo: repos.deliveries, items: repos.items, opds: repos.opds, channels: repos.channels, clock }),
  }
}

export type Services = ReturnType<typeof createServices>

/** Registers every job's handler on the queue (the process consumes jobs from then on). */
export function registerJobHandlers(services: Services, jobs: JobQueue, log: FastifyBaseLogger): void {
  const jobCtx = (jobId: string): Ctx => ({ actor: { kind: 'system' }, requestId: jobId, log: log.child({ jobId }) })
  jobs.work('delivery.process', (data, job) =>
    services.deliveries.process(jobCtx(job.jobId), data.deliveryId, data.throughId ?? data.deliveryId, job.lastAttempt),
  )
  jobs.work('reply.send', (data, job) => services.replies.send(jobCtx(job.jobId), data.replyId, job))
  jobs.work('channel.poll', async (data) => void (await services.poll.poll(data.channelId)))
}

/** Enqueues work left behind by a crash; job ids make it harmless to run at every start and every minute. */
export async function requeueLeftovers(services: Services): Promise<{ deliveries: number; replies: number }> {
  return { deliveries: await services.deliveries.requeuePending(), replies: await services.replies.requeuePending() }
}

/** Runs now and then every interval until the returned function stops it. */
async function every(everyMs: number, log: FastifyBaseLogger, what: string, run: () => Promise<void>): Promise<() => void> {
  await run()
  const timer = setInterval(() => void run().catch((err) => log.error({ err, what }, 'periodic task failed')), everyMs)
  timer.unref()
  return () => clearInterval(timer)
}

/** Requeues leftovers and prunes old raw bodies every minute, schedules polls every poll interval; returns a stop function. */
export async function startBackgroundLoops(services: Services, config: Pick<Config, 'pollIntervalSeconds'>, log: FastifyBaseLogger): Promise<() => void> {
  const stops = [
    await every(60_000, log, 'requeue', async () => {
      const left = await requeueLeftovers(services)
      if (left.deliveries || left.replies) log.info(left, 'requeued unfinished work')
    }),
    await every(config.pollIntervalSeconds * 1000, log, 'poll', () => services.poll.schedule()),
    await every(60_000, log, 'prune', async () => {
      const pruned = await services.retention.prune()
      if (pruned) log.info({ pruned }, 'pruned raw bodies past their retention')
    }),
  ]
  return () => {
    for (const stop of stops) stop()
  }
}
