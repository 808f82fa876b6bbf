// The real app for the Meta benchmark, started exactly as server/src/main.ts starts it: configuration
// from the environment, openRuntime() (SQLite file, demo seed, and either the in-process queue and
// bus or, with REDIS_URL, BullMQ and Redis pub/sub), buildApp() with the process's logger, listen.
// Embedded mode: RUN_WORKERS=true (the default), jobs run in this process. Redis mode: RUN_WORKERS=false
// and a separate `node --import tsx server/src/worker.ts` consumes the jobs.
// Started by bench/meta.bench.ts with PORT=0; prints `PORT <n>` once listening.
//
// GET /bench/stats exists only here (not in server code). It reads the SQLite file directly, so in
// redis mode it sees the worker's commits too. `?d=&m=&i=` are the highest delivery, message and
// item ids before a phase (its `marks`); the window counts what came after them. GET /bench/pending
// is the cheap poll while the queue drains; GET /bench/idle answers once the job queue is idle.
import { buildApp } from '../../server/src/app.ts'
import { loadConfig } from '../../server/src/config.ts'
import { createLogger } from '../../server/src/logger.ts'
import { openRuntime } from '../../server/src/runtime.ts'

const config = loadConfig()
const logger = createLogger(config)
const runtime = await openRuntime(config, logger, 'web')
const app = await buildApp({ config, logger, ...runtime, runWorkers: config.runWorkers })

const sql = runtime.db.$client
const marks = sql.prepare<[], { delivery: number; message: number; item: number }>(
  `SELECT (SELECT coalesce(max(id), 0) FROM deliveries) AS delivery, (SELECT coalesce(max(id), 0) FROM messages) AS message,
          (SELECT coalesce(max(id), 0) FROM items) AS item`,
)
// Counted through the partial indexes (state named as a literal), so polling stays cheap however
// many deliveries are stored.
const countPending = sql.prepare<[], { n: number }>("SELECT count(*) AS n FROM deliveries WHERE state = 'pending'")
const countFailed = sql.prepare<[], { n: number }>("SELECT count(*) AS n FROM deliveries WHERE state = 'failed'")
const inState = (state: 'pending' | 'failed') => (state === 'pending' ? countPending : countFailed).get()!
const windowDeliveries = sql.prepare<
  [number],
  {
    deliveries: number
    processed: number
    failed: number
    firstReceivedAt: number | null
    lastReceivedAt: number | null
    firstProcessedAt: number | null
    lastProcessedAt: number | null
  }
>(
  `SELECT count(*) AS deliveries, count(*) FILTER (WHERE state = 'processed') AS processed, count(*) FILTER (WHERE state = 'failed') AS failed,
          min(received_at) AS firstReceivedAt, max(received_at) AS lastReceivedAt, min(processed_at) AS firstProcessedAt, max(processed_at) AS lastProcessedAt
   FROM deliveries WHERE id > ?`,
)
const windowMessages = sql.prepare<[number], { messages: number; lastMessageAt: number | null }>(
  'SELECT count(*) AS messages, max(created_at) AS lastMessageAt FROM messages WHERE id > ?',
)
const windowItems = sql.prepare<[number], { items: number; lastItemAt: number | null; maxItemId: number | null }>(
  'SELECT count(*) AS items, max(created_at) AS lastItemAt, max(id) AS maxItemId FROM items WHERE id > ?',
)

// Polled while the queue drains: only the index counts, so the polling takes no CPU from the jobs.
app.get('/bench/pending', async () => ({ at: Date.now(), pending: inState('pending').n, failed: inState('failed').n }))

app.get<{ Querystring: { d?: string; m?: string; i?: string } }>('/bench/stats', async (req) => {
  const deliveries = { pending: inState('pending').n, failed: inState('failed').n }
  const q = req.query
  const window = { ...windowDeliveries.get(Number(q.d ?? 0))!, ...windowMessages.get(Number(q.m ?? 0))!, ...windowItems.get(Number(q.i ?? 0))! }
  return { at: Date.now(), deliveries, marks: marks.get()!, window, cpu: process.cpuUsage(), rssBytes: process.memoryUsage().rss }
})

// Resolves once the job queue has nothing waiting, delayed or running (BullMQ: asks Redis).
app.get('/bench/idle', async () => {
  await runtime.jobs.idle()
  return { idle: true }
})

await app.listen({ host: config.host, port: config.port })
const address = app.server.address()
process.stdout.write(`PORT ${typeof address === 'object' && address ? address.port : config.port}\n`)

let closing = false
const stop = async () => {
  if (closing) return
  closing = true
  await app.close()
  await runtime.close()
  process.exit(0)
}
process.on('SIGTERM', () => void stop())
process.on('SIGINT', () => void stop())
