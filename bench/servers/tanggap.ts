// The real app for the ingest benchmark, started as server/src/main.ts starts it in embedded mode:
// configuration from the environment, openRuntime() (SQLite file with the demo data, in-process
// queue and bus, the delivery intake's own connection), buildApp(), with the jobs running in the
// same process. Started by bench/ingest.bench.ts in its own process; prints `PORT <n>`.
// GET /bench/stats and /bench/pending exist only here (not in server code): counts for the bench.
import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import { buildApp } from '../../server/src/app.ts'
import { loadConfig } from '../../server/src/config.ts'
import { createLogger } from '../../server/src/logger.ts'
import { openRuntime } from '../../server/src/runtime.ts'

const dir = process.env.BENCH_DIR
if (!dir) throw new Error('BENCH_DIR is required')

const config = loadConfig({
  ...process.env,
  NODE_ENV: 'production',
  SECRET_KEY: randomBytes(32).toString('hex'),
  SEED_DEMO: 'true',
  DATA_DIR: dir,
  DATABASE_FILE: join(dir, 'tanggap.db'),
  LOG_LEVEL: 'warn',
  // The config's ceiling; the bench also spreads requests over many client addresses (below).
  RATE_LIMIT_QUESTIONS_PER_MINUTE: '100000',
  // Behind a reverse proxy, as deployed: the client address comes from X-Forwarded-For.
  TRUST_PROXY: 'true',
  WEB_DIST: join(dir, 'no-web-dist'),
  // Keep the bench offline: platform APIs (polling, replies) point at a closed local port.
  SIMULATOR_URL: 'http://127.0.0.1:9',
})
const runtime = await openRuntime(config, createLogger(config), 'web')
const app = await buildApp({ config, logger: createLogger(config), ...runtime, runWorkers: true })
const db = runtime.db

interface Window {
  deliveries: number
  processed: number
  items: number
  firstReceivedAt: number | null
  lastProcessedAt: number | null
  lastItemCreatedAt: number | null
}
// Through the partial indexes on pending and failed deliveries: cheap however many are stored.
const pending = db.$client.prepare<[], { n: number }>("SELECT count(*) AS n FROM deliveries WHERE state = 'pending'")
const failed = db.$client.prepare<[], { n: number }>("SELECT count(*) AS n FROM deliveries WHERE state = 'failed'")
const itemCount = db.$client.prepare<[], { n: number }>('SELECT count(*) AS n FROM items')
const windowDeliveries = db.$client.prepare<[number], Omit<Window, 'items' | 'lastItemCreatedAt'>>(
  `SELECT count(*) AS deliveries, count(processed_at) AS processed, min(received_at) AS firstReceivedAt, max(processed_at) AS lastProcessedAt
   FROM deliveries WHERE platform = 'website' AND received_at >= ?`,
)
const windowItems = db.$client.prepare<[number], { items: number; lastItemCreatedAt: number | null }>(
  `SELECT count(*) AS items, max(i.created_at) AS lastItemCreatedAt
   FROM items i JOIN deliveries d ON d.tracking_code = i.tracking_code WHERE d.received_at >= ?`,
)

app.get<{ Querystring: { since?: string } }>('/bench/stats', async (req) => {
  const deliveries = { pending: pending.get()!.n, failed: failed.get()!.n }
  const since = Number(req.query.since ?? 0)
  const window: Window = { ...windowDeliveries.get(since)!, ...windowItems.get(since)! }
  return { deliveries, items: itemCount.get()!.n, window, cpu: process.cpuUsage(), rssBytes: process.memoryUsage().rss }
})

app.get('/bench/pending', async () => ({ pending: pending.get()!.n }))

const address = await app.listen({ host: '127.0.0.1', port: 0 })
process.stdout.write(`PORT ${new URL(address).port}\n`)

const stop = async () => {
  await app.close()
  await runtime.close()
  process.exit(0)
}
process.on('SIGTERM', () => void stop())
process.on('SIGINT', () => void stop())
