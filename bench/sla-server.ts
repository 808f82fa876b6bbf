// The real app for the SLA benchmark, in its own process so its CPU can be measured apart from
// the 500 websocket clients. Reads DATABASE_FILE (prepared by sla.bench.ts), prints "PORT <n>".
import { openDb } from '@tanggap/db'
import { buildApp } from '../server/src/app.ts'
import { createInProcessBus } from '../server/src/events/inprocess.ts'
import { createInProcessQueue } from '../server/src/jobs/inprocess.ts'
import { loadConfig } from '../server/src/config.ts'

const config = loadConfig({ ...process.env, LOG_LEVEL: 'silent', RATE_LIMIT_LOGINS_PER_MINUTE: '100000' })
const db = openDb(config.databaseFile)
const bus = createInProcessBus()
const app = await buildApp({ config, db, jobs: createInProcessQueue(), bus })
// Server-side half of the delay: due moment → frames handed to every socket (this listener runs after the hub's).
const served: number[] = []
bus.subscribe((e) => {
  if (e.type === 'sla.breach') served.push(Date.now() - e.at)
})
process.on('message', () => process.send?.({ served }))
await app.listen({ host: '127.0.0.1', port: 0 })
console.log(`PORT ${(app.server.address() as { port: number }).port}`)
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)))
