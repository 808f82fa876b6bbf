// scratch: redis mode only, steady load, prints req/s and per-process CPU
import autocannon from 'autocannon'
import { randomBytes } from 'node:crypto'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Redis } from 'ioredis'
import { BENCH_DIR, ROOT, cleanup, installCleanupHandlers, processCpu, startChild, cpuMs, sleep } from '../lib/harness.ts'
import { META_PATH, MetaDeliveries } from '../lib/meta-deliveries.ts'

installCleanupHandlers()
const mode = process.env.MODE ?? 'redis'
const dir = mkdtempSync(join(tmpdir(), 'scratch-'))
const prefix = `scratch-${Date.now()}`
const env: Record<string, string> = {
  NODE_ENV: 'production', HOST: '127.0.0.1', PORT: '0', DATA_DIR: dir, DATABASE_FILE: join(dir, 't.db'), SECRET_KEY: randomBytes(32).toString('hex'),
  SEED_DEMO: 'true', LOG_LEVEL: 'warn', WEB_DIST: join(dir, 'x'), SIMULATOR_URL: 'http://127.0.0.1:9',
  ...(mode === 'redis' ? { REDIS_URL: 'redis://127.0.0.1:6379', REDIS_PREFIX: prefix, RUN_WORKERS: 'false' } : { RUN_WORKERS: process.env.RUN_WORKERS ?? 'true' }),
}
const web = await startChild({ name: 'web', script: join(BENCH_DIR, 'servers', 'tanggap-main.ts'), env, onLine: (l) => process.stderr.write('web: ' + l + '\n') })
const kids = [web]
if (mode === 'redis') kids.push(await startChild({ name: 'worker', script: join(ROOT, 'server', 'src', 'worker.ts'), env: { ...env, LOG_LEVEL: 'info' }, ready: /"msg":"worker started"/, onLine: (l) => { if (!l.includes('"level":30')) process.stderr.write('worker: ' + l + '\n') } }))
const d = new MetaDeliveries()
d.fill(120_000)
const run = (s: number) => autocannon({ url: `http://127.0.0.1:${web.port}`, connections: 50, duration: s, requests: [{ method: 'POST', path: META_PATH, setupRequest: (req) => { const x = d.take(); return { ...req, headers: { ...req.headers, 'content-type': 'application/json', 'x-hub-signature-256': x.signature }, body: x.body } } }] })
await run(2)
await sleep(3000)
const before = kids.map((k) => processCpu(k.pid)); const t0 = Date.now()
const r = await run(Number(process.env.SECONDS ?? 8))
const after = kids.map((k) => processCpu(k.pid)); const wall = Date.now() - t0
console.log(`req/s ${r.requests.average} p50 ${r.latency.p50} p99 ${r.latency.p99} non2xx ${r.non2xx}`)
import('node:fs').then(({ statSync }) => console.log('wal MB', (statSync(join(dir, 't.db-wal')).size / 1e6).toFixed(1)))
kids.forEach((k, i) => console.log(`${k.name}: ${(cpuMs(before[i]!, after[i]!) / wall).toFixed(2)} cores, ${(cpuMs(before[i]!, after[i]!) / r['2xx']).toFixed(3)} ms/req`))
await cleanup()
if (mode === 'redis') { const rd = new Redis('redis://127.0.0.1:6379'); let c = '0'; do { const [n, ks] = await rd.scan(c, 'MATCH', `${prefix}:*`, 'COUNT', 1000); c = n; if (ks.length) await rd.del(...ks) } while (c !== '0'); await rd.quit() }
