// The real app for the ingest benchmark, assembled as in embedded production mode: buildApp on a
// SQLite file with the demo data, the in-process queue and bus, and the job handlers running in
// the same process. Started by bench/ingest.bench.ts in its own process; prints `PORT <n>`.
// GET /bench/stats exists only here (not in server code): delivery and item counts for the bench.
import { openDb } from '@tanggap/db'
import { join } from 'node:path'
import { buildApp } from '../../server/src/app.ts'
import { createInProcessBus } from '../../server/src/events/inprocess.ts'
import { createInProcessQueue } from '../../server/src/jobs/inprocess.ts'
import { seedDemo, testConfig } from '../../test/helpers/app.ts'

const dir = process.env.BENCH_DIR
if (!dir) throw new Error('BENCH_DIR is required')

const config = testConfig({
  NODE_ENV: 'production',
  DATA_DIR: dir,
  DATABASE_FILE: join(dir, 'tanggap.db'),
  LOG_LEVEL: 'silent',
  // The config's ceiling; the bench also spreads requests over many client addresses (below).
  RATE_LIMIT_QUESTIONS_PER_MINUTE: '100000',
  // Behind a reverse proxy, as deployed: the client address comes from X-Forwarded-For.
  TRUST_PROXY: 'true',
  WEB_DIST: join(dir, 'no-web-dist'),
  // Keep the bench offline: platform APIs (polling, replies) point at a closed local port.
  SIMULATOR_URL: 'http://127.0.0.1:9',
})
const db = openDb(config.databaseFile)
await seedDemo(db)
const jobs = createInProcessQueue()
const bus = createInProcessBus()
const app = await buildApp({ config, db, jobs, bus, runWorkers: true })

interface Window { deliveries: number; processed: number; items: number; firstReceivedAt: number | null; lastProcessedAt: number | null; lastItemCreatedAt: number | null }
const byState = db.$client.prepare<[], { state: string; n: number }>('SELECT state, count(*) AS n FROM deliveries GROUP BY state')
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
  const deliveries: Record<string, number> = { pending: 0, processed: 0, failed: 0 }
  for (const r of byState.all()) deliveries[r.state] = r.n
  const since = Number(req.query.since ?? 0)
  const window: Window = { ...windowDeliveries.get(since)!, ...windowItems.get(since)! }
  return { deliveries, items: itemCount.get()!.n, window, cpu: process.cpuUsage(), rssBytes: process.memoryUsage().rss }
})

const address = await app.listen({ host: '127.0.0.1', port: 0 })
process.stdout.write(`PORT ${new URL(address).port}\n`)

const stop = async () => {
  await app.close()
  await jobs.close()
  await bus.close()
  db.$client.close()
  process.exit(0)
}
process.on('SIGTERM', () => void stop())
process.on('SIGINT', () => void stop())
