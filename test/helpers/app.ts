// Builds the real app on a fresh SQLite file with demo data, the in-process queue and bus.
import { openNonBlocking, openTestDb, type Db } from '@tanggap/db'
import { DEMO_PASSWORD, seedIfEmpty } from '@tanggap/db/seed'
import type { FastifyBaseLogger, FastifyInstance, LightMyRequestResponse } from 'fastify'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buildApp } from '../../server/src/app.ts'
import { loadConfig, type Config } from '../../server/src/config.ts'
import type { EventBus } from '../../server/src/events/bus.ts'
import { createEventBus } from '../../server/src/events/index.ts'
import { createInProcessBus } from '../../server/src/events/inprocess.ts'
import { createJobQueue } from '../../server/src/jobs/index.ts'
import { createInProcessQueue } from '../../server/src/jobs/inprocess.ts'
import type { JobQueue } from '../../server/src/jobs/registry.ts'
import { seal } from '../../server/src/lib/crypto.ts'
import { hashPassword } from '../../server/src/modules/auth/password.ts'

const TEST_SECRET_KEY = '11'.repeat(32)

export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: join(tmpdir(), 'tanggap-test-data'),
    SECRET_KEY: TEST_SECRET_KEY,
    LOG_LEVEL: 'silent',
    RATE_LIMIT_QUESTIONS_PER_MINUTE: '10000',
    RATE_LIMIT_LOGINS_PER_MINUTE: '10000',
    WEB_DIST: join(process.cwd(), 'web', 'dist'),
    // Platform APIs point at a closed loopback port unless a test starts a fake: no test reaches the internet.
    SIMULATOR_URL: 'http://127.0.0.1:9',
    ...env,
  })
}

// argon2 is slow on purpose: hash the demo password once per test file.
let demoHash: Promise<string> | undefined
export const seedDemo = (db: Db) =>
  seedIfEmpty(db, { demo: true, hashPassword: () => (demoHash ??= hashPassword(DEMO_PASSWORD)), seal: (c) => seal(Buffer.from(TEST_SECRET_KEY, 'hex'), c) })

export interface TestApp {
  app: FastifyInstance
  db: Db
  jobs: JobQueue
  file: string
  config: Config
  close(): Promise<void>
}

export interface TestAppOptions {
  env?: Record<string, string>
  /** Reuse an existing database file (restart tests). */
  db?: { db: Db; file: string }
  runWorkers?: boolean
  /** Run the SLA scheduler's timer loop (tests with a fake clock drive it with scheduler.runOnce()). */
  runScheduler?: boolean
  clock?: () => number
  /** Redis mode: BullMQ queue and pub/sub bus under this key prefix. */
  redis?: { url: string; prefix: string }
  /** A pino logger for the app and the in-process queue (default: silent), e.g. to capture 5xx stacks. */
  logger?: FastifyBaseLogger
}

export async function createTestApp(opts: TestAppOptions = {}): Promise<TestApp> {
  const fresh = opts.db ? undefined : openTestDb()
  const { db, file } = opts.db ?? fresh!
  await seedDemo(db)
  const config = testConfig(opts.env)
  const policies = { 'delivery.process': { attempts: 3, backoffMs: 10 }, 'reply.send': { attempts: 3, backoffMs: 10 } }
  const runWorkers = opts.runWorkers ?? true
  let jobs: JobQueue
  let bus: EventBus
  if (opts.redis) {
    const logger = { info() {}, warn() {}, error() {} }
    jobs = createJobQueue({ redisUrl: opts.redis.url, redisPrefix: opts.redis.prefix, logger, role: runWorkers ? 'both' : 'producer', policies })
    bus = await createEventBus({ redisUrl: opts.redis.url, redisPrefix: opts.redis.prefix })
  } else {
    jobs = createInProcessQueue({ policies, logger: opts.logger })
    bus = createInProcessBus()
  }
  // Deliveries are written as in production: through their own connection (see intake.ts).
  const intakeSqlite = openNonBlocking(file) ?? undefined
  const app = await buildApp({ config, db, jobs, bus, runWorkers, clock: opts.clock, runScheduler: opts.runScheduler, intakeSqlite, logger: opts.logger })
  await app.ready()
  return {
    app,
    db,
    jobs,
    file,
    config,
    async close() {
      await app.close()
      await jobs.close()
      await bus.close()
      intakeSqlite?.close()
      fresh?.close()
    },
  }
}

export interface SignedIn {
  cookie: string
  csrf: string
  headers: Record<string, string>
}

export async function signIn(app: FastifyInstance, username: string, password = DEMO_PASSWORD): Promise<SignedIn> {
  const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } })
  if (res.statusCode !== 200) throw new Error(`login ${username} failed: ${res.statusCode} ${res.body}`)
  const cookie = res.cookies.map((c) => `${c.name}=${c.value}`).join('; ')
  const csrf = res.json().csrfToken as string
  return { cookie, csrf, headers: { cookie, 'x-csrf-token': csrf } }
}

export async function askQuestion(app: FastifyInstance, body: Record<string, unknown>, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
  return app.inject({ method: 'POST', url: '/api/public/questions', payload: body, headers })
}

export { eventually } from './wait.ts'

export const opdId = (t: Pick<TestApp, 'db'>, code: string): number =>
  (t.db.$client.prepare('SELECT id FROM opds WHERE code = ?').get(code) as { id: number }).id
