// Opens what a process needs from its configuration: the database, the queue, the event bus and,
// in redis mode, a Redis client. Used by main.ts, worker.ts and the tests.
import { openDb, openNonBlocking, type Db, type Sqlite } from '@tanggap/db'
import { seedIfEmpty } from '@tanggap/db/seed'
import { Redis } from 'ioredis'
import type { Logger } from 'pino'
import type { Config } from './config.ts'
import type { EventBus } from './events/bus.ts'
import { createEventBus } from './events/index.ts'
import { createJobQueue } from './jobs/index.ts'
import type { JobQueue } from './jobs/registry.ts'
import { seal } from './lib/crypto.ts'
import { redisLeader, soleLeader, type LeaderLock } from './lib/leader.ts'
import { loadGauge, type LoadGauge } from './lib/load-gauge.ts'
import { hashPassword } from './modules/auth/password.ts'

export interface Runtime {
  db: Db
  /** The connection new deliveries are written through (see modules/deliveries/intake.ts). */
  intakeSqlite: Sqlite
  /** Whether deliveries are arriving: in embedded mode the jobs step aside meanwhile. */
  load: LoadGauge
  jobs: JobQueue
  bus: EventBus
  redis?: Redis
  leader: LeaderLock
  /** True when this start seeded an empty database. */
  seeded: boolean
  close(): Promise<void>
}

export async function openRuntime(config: Config, logger: Logger, role: 'web' | 'worker' = 'web'): Promise<Runtime> {
  const db = openDb(config.databaseFile)
  const seeded = await seedIfEmpty(db, { demo: config.seedDemo, hashPassword, seal: (c) => seal(config.secretKey, c) })
  const consume = role === 'worker' || config.runWorkers
  const intakeSqlite = openNonBlocking(config.databaseFile) ?? db.$client
  const load = loadGauge()
  const jobs = createJobQueue({ redisUrl: config.redisUrl, redisPrefix: config.redisPrefix, logger, role: consume ? 'both' : 'producer', busy: load.busy })
  const bus = await createEventBus({ redisUrl: config.redisUrl, redisPrefix: config.redisPrefix, logger })
  // Rate limits, sign-in counters, the leader lock and readiness: while Redis is away a command
  // fails at once (no offline queue) or after a second (a silent network), and callers fall back.
  const redis = config.redisUrl ? new Redis(config.redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: false, commandTimeout: 1_000 }) : undefined
  redis?.on('error', (err) => logger.warn({ err }, 'redis connection error'))
  const leader = redis ? redisLeader(redis, `${config.redisPrefix}:sla:leader`) : soleLeader()
  // Redis mode: web and worker processes write the file in turn, so SQLite's automatic checkpoints
  // rarely find a moment without another process's reader, and the log (WAL) would grow without
  // end. A process that runs jobs copies the log into the database and starts it over four times a
  // second; it waits (busy_timeout) for transactions in flight, and web intakes wait meanwhile.
  const restartLog = config.redisUrl && consume ? setInterval(() => db.$client.pragma('wal_checkpoint(RESTART)'), 250) : undefined
  restartLog?.unref()
  return {
    db,
    intakeSqlite,
    load,
    jobs,
    bus,
    redis,
    leader,
    seeded,
    async close() {
      clearInterval(restartLog)
      // Finish running jobs before the database goes away.
      await jobs.close()
      await bus.close()
      redis?.disconnect()
      if (intakeSqlite !== db.$client) intakeSqlite.close()
      db.$client.close()
    },
  }
}
