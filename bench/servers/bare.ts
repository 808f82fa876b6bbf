// Baseline for the ingest benchmark: the least a Fastify + better-sqlite3 endpoint can do for a
// question — validate a JSON body against a schema, one prepared INSERT, reply 201. Started by
// bench/ingest.bench.ts in its own process; prints `PORT <n>` once listening.
import Database from 'better-sqlite3'
import Fastify from 'fastify'
import { join } from 'node:path'

const dir = process.env.BENCH_DIR
if (!dir) throw new Error('BENCH_DIR is required')

const sqlite = new Database(join(dir, 'bare.db'))
// The same pragmas as db/src/client.ts openDb().
sqlite.pragma('journal_mode = WAL')
sqlite.pragma('synchronous = NORMAL')
sqlite.pragma('foreign_keys = ON')
sqlite.pragma('busy_timeout = 5000')
sqlite.exec('CREATE TABLE IF NOT EXISTS q (id INTEGER PRIMARY KEY AUTOINCREMENT, body TEXT NOT NULL, received_at INTEGER NOT NULL)')
const insert = sqlite.prepare<[string, number]>('INSERT INTO q (body, received_at) VALUES (?, ?)')
const count = sqlite.prepare<[], { n: number }>('SELECT count(*) AS n FROM q')

interface Body {
  name: string
  contact?: string
  text: string
  topic?: string
}

const app = Fastify({ logger: false })
app.post<{ Body: Body }>(
  '/api/public/questions',
  {
    schema: {
      body: {
        type: 'object',
        required: ['name', 'text'],
        additionalProperties: false,
        properties: {
          name: { type: 'string', minLength: 1, maxLength: 120 },
          contact: { type: 'string', maxLength: 200 },
          text: { type: 'string', minLength: 5, maxLength: 4000 },
          topic: { type: 'string', maxLength: 32 },
        },
      },
    },
  },
  async (req, reply) => {
    insert.run(JSON.stringify(req.body), Date.now())
    return reply.code(201).send({ ok: true })
  },
)
app.get('/bench/stats', async () => ({ rows: count.get()!.n, cpu: process.cpuUsage(), rssBytes: process.memoryUsage().rss }))

const address = await app.listen({ host: '127.0.0.1', port: 0 })
process.stdout.write(`PORT ${new URL(address).port}\n`)

const stop = async () => {
  await app.close()
  sqlite.close()
  process.exit(0)
}
process.on('SIGTERM', () => void stop())
process.on('SIGINT', () => void stop())
