// Fuzz benchmark (not a test; exits 1 when a target is missed): the fuzz of test/integration/fuzz.test.ts,
// larger (21,000 HTTP requests and 1,000 websocket upgrades by default), over real sockets against
// Tanggap started as npm start starts it (bench/servers/tanggap-main.ts, embedded mode, its own
// process, node's flags from scripts/server-node-flags.json). It prints the server's peak RSS
// (sampled every 100 ms from /proc, and the kernel's high-water mark) and the database file's
// growth, and checks issue 8's figures: no 5xx, every delivery processed or failed, peak RSS under
// 300 MB.
//
//   npm run bench:fuzz                        21,000 requests + 1,000 upgrades, seed 20261208
//   FUZZ_REQUESTS=50000 npm run bench:fuzz    more requests
//   FUZZ_SEED=7 npm run bench:fuzz            another seed
//   BENCH_MEMORY_DETAIL=1 npm run bench:fuzz  also the server's V8 heap at its peak and after a forced full
//                                             garbage collection (read through the inspector: the server
//                                             then runs with --inspect on a random local port)
//
// Figures go to stdout and to bench/results/fuzz-latest.json.
import { randomBytes } from 'node:crypto'
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import WebSocket from 'ws'
import { DEMO_PASSWORD } from '@tanggap/db/seed'
import { httpRequest, wsUpgrade } from '../test/helpers/fuzz-requests.ts'
import { dbBytes, formatFailures, formatTally, httpSender, newTally, runHttpFuzz, runWsFuzz, watchRss } from '../test/helpers/fuzz-run.ts'
import {
  BENCH_DIR,
  cleanup,
  fmt,
  installCleanupHandlers,
  log,
  machine,
  positiveNumber,
  revision,
  sleep,
  startChild,
  stopChild,
  trackTempDir,
} from './lib/harness.ts'

const REQUESTS = positiveNumber('FUZZ_REQUESTS', 21_000)
const UPGRADES = positiveNumber('FUZZ_UPGRADES', 1_000)
const SEED = positiveNumber('FUZZ_SEED', 20_261_208)
const MEMORY_DETAIL = process.env.BENCH_MEMORY_DETAIL === '1'
const RSS_TARGET_MB = 300
const SERVER_NODE_FLAGS = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'scripts', 'server-node-flags.json'), 'utf8')) as string[]
const CONCURRENCY = 32

/** A process's resident set size and its high-water mark, in bytes, from /proc/<pid>/status. */
function rssOf(pid: number): { rss: number; hwm: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024
  return { rss: kb('VmRSS'), hwm: kb('VmHWM') }
}

type Heap = Record<'rss' | 'heapTotal' | 'heapUsed' | 'external' | 'arrayBuffers', number>

/** The server's own view of its memory, through the V8 inspector (BENCH_MEMORY_DETAIL=1). */
async function inspector(stderr: () => string): Promise<{ memory(): Promise<Heap>; collectGarbage(): Promise<void>; close(): void }> {
  const url = /ws:\/\/127\.0\.0\.1:\d+\/[\w-]+/.exec(stderr())?.[0]
  if (!url) throw new Error('the server printed no inspector address')
  const ws = new WebSocket(url)
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject))
  let id = 0
  const call = (method: string, params: object = {}) =>
    new Promise<{ result?: { value?: string } }>((resolve) => {
      const mine = ++id
      const onMessage = (data: Buffer) => {
        const m = JSON.parse(data.toString()) as { id?: number; result: { result?: { value?: string } } }
        if (m.id !== mine) return
        ws.off('message', onMessage)
        resolve(m.result)
      }
      ws.on('message', onMessage)
      ws.send(JSON.stringify({ id: mine, method, params }))
    })
  return {
    memory: async () => JSON.parse((await call('Runtime.evaluate', { expression: 'JSON.stringify(process.memoryUsage())' })).result!.value!) as Heap,
    collectGarbage: async () => void (await call('HeapProfiler.collectGarbage')),
    close: () => ws.close(),
  }
}

async function json<T>(port: number, path: string, init?: RequestInit): Promise<{ status: number; body: T; headers: Headers }> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, init)
  return { status: res.status, body: (await res.json()) as T, headers: res.headers }
}

installCleanupHandlers()
const root = mkdtempSync(join(tmpdir(), 'tanggap-fuzz-bench-'))
trackTempDir(root)
const databaseFile = join(root, 'tanggap.db')
const problems: Record<string, number> = {}
const countProblems = (line: string) => {
  if (!line.startsWith('{')) return
  try {
    const entry = JSON.parse(line) as { level?: number; msg?: string; job?: string; err?: { message?: string } }
    if ((entry.level ?? 0) < 40) return
    const what = `${(entry.level ?? 0) >= 50 ? 'error' : 'warn'}: ${entry.job ? `${entry.job} ` : ''}${entry.msg ?? ''}${(entry.level ?? 0) >= 50 && entry.err?.message ? ` (${entry.err.message.slice(0, 120)})` : ''}`
    problems[what] = (problems[what] ?? 0) + 1
  } catch {
    // not a log line
  }
}

try {
  const server = await startChild({
    name: 'tanggap',
    script: join(BENCH_DIR, 'servers', 'tanggap-main.ts'),
    env: {
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: '0',
      DATA_DIR: root,
      DATABASE_FILE: databaseFile,
      SECRET_KEY: randomBytes(32).toString('hex'),
      SEED_DEMO: 'true',
      LOG_LEVEL: 'warn',
      WEB_DIST: join(root, 'no-web-dist'),
      // The fuzz sends from many addresses through X-Forwarded-For, as behind the reverse proxy.
      TRUST_PROXY: 'true',
      // Offline: platform APIs (YouTube polling, enrich look-ups) point at a closed local port.
      SIMULATOR_URL: 'http://127.0.0.1:9',
    },
    // As npm start starts it (scripts/start.mjs).
    nodeArgs: [...SERVER_NODE_FLAGS, ...(MEMORY_DETAIL ? ['--inspect=127.0.0.1:0'] : [])],
    onLine: countProblems,
  })
  const port = server.port
  const login = await fetch(`http://127.0.0.1:${port}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'superadmin', password: DEMO_PASSWORD }),
  })
  if (login.status !== 200) throw new Error(`sign-in failed: ${login.status}`)
  const session = /tanggap_sid=([^;]+)/.exec(login.headers.get('set-cookie') ?? '')?.[1]
  if (!session) throw new Error('no session cookie')
  const cookie = `tanggap_sid=${session}`

  const v8 = MEMORY_DETAIL ? await inspector(server.stderr) : undefined
  // The heap at the moment the RSS peaks (sampled every 250 ms while the load runs).
  let heapAtPeak: Heap | undefined
  let sampling = !!v8
  const heapSampler = (async () => {
    while (sampling && v8) {
      const m = await v8.memory()
      if (!heapAtPeak || m.rss > heapAtPeak.rss) heapAtPeak = m
      await sleep(250)
    }
  })()
  const startRss = rssOf(server.pid)
  const dbBefore = dbBytes(databaseFile)
  const watch = watchRss(() => rssOf(server.pid).rss)
  const tally = newTally()
  const sender = httpSender(port)
  const t0 = Date.now()
  log(`fuzz: ${fmt(REQUESTS)} HTTP requests and ${fmt(UPGRADES)} websocket upgrades, seed ${SEED}, ${CONCURRENCY} at a time`)
  await runHttpFuzz(httpRequest, sender.send, tally, { total: REQUESTS, seed: SEED, concurrency: CONCURRENCY, keep: 50 })
  const afterHttp = rssOf(server.pid)
  const upgradedWrongly: string[] = []
  await runWsFuzz(wsUpgrade, port, session, tally, {
    total: UPGRADES,
    seed: SEED,
    concurrency: 8,
    keep: 50,
    onUpgraded: (up) => void ((!up.withSession || up.foreignOrigin) && upgradedWrongly.push(up.lines.join(' | '))),
  })
  sender.close()
  const afterWs = rssOf(server.pid)
  const loadSeconds = (Date.now() - t0) / 1000
  log('waiting until every delivery is processed or failed')
  let pending = Infinity
  let failed = 0
  while (pending > 0) {
    const p = await json<{ pending: number; failed: number }>(port, '/bench/pending')
    pending = p.body.pending
    failed = p.body.failed
    if (pending > 0) await sleep(200)
  }
  await json(port, '/bench/idle')
  const drainSeconds = (Date.now() - t0) / 1000 - loadSeconds
  sampling = false
  await heapSampler
  // What is still alive once every piece of garbage is collected: what the load left behind.
  let heapAfterGc: Heap | undefined
  if (v8) {
    await v8.collectGarbage()
    heapAfterGc = await v8.memory()
    v8.close()
  }
  const memory = watch.stop()
  const endRss = rssOf(server.pid)
  const dbAfter = dbBytes(databaseFile)
  const health = await json<{ status: string }>(port, '/readyz')
  const failedList = await json<unknown[]>(port, '/api/admin/deliveries/failed?limit=200', { headers: { cookie } })

  // Every accepted question must have an item or be on the failed list.
  let withoutItem = 0
  const lost: string[] = []
  const failedCodes = new Set((failedList.body as { trackingCode?: string | null }[]).map((f) => f.trackingCode))
  for (const [i, { code, request }] of tally.issued.entries()) {
    const res = await fetch(`http://127.0.0.1:${port}/api/public/questions/${code}`, { headers: { 'x-forwarded-for': `10.255.${i >> 8}.${i & 255}` } })
    const body = (await res.json()) as { status?: string }
    if (res.status !== 200) lost.push(`${code}: ${res.status}\n    ${request}`)
    else if (body.status === 'received') {
      withoutItem++
      if (!failedCodes.has(code)) lost.push(`${code}: no item and not on the failed list\n    ${request}`)
    }
  }
  await stopChild(server.proc)

  const mb = (n: number) => Math.round(n / 1024 / 1024)
  const heapLine = (h: Heap) =>
    `RSS ${mb(h.rss)} MB, heap ${mb(h.heapUsed)} MB used of ${mb(h.heapTotal)} MB, external ${mb(h.external)} MB (array buffers ${mb(h.arrayBuffers)} MB)`
  const peakMb = Math.max(memory.peakMb, mb(endRss.hwm))
  const checks = {
    no5xx: tally.failureCount === 0,
    everyDeliveryDone: pending === 0,
    everyQuestionLeadsSomewhere: lost.length === 0,
    noWrongUpgrade: upgradedWrongly.length === 0,
    ready: health.status === 200,
    peakRssUnderTarget: peakMb < RSS_TARGET_MB,
  }
  const report = [
    '',
    `Fuzz, seed ${SEED}: ${formatTally(tally)}`,
    '',
    `load ${loadSeconds.toFixed(1)} s, drained ${drainSeconds.toFixed(1)} s later; ${failed} deliveries failed (on the superadmin's list), ${withoutItem} accepted questions without an item`,
    `server RSS: ${mb(startRss.rss)} MB after start-up, peak ${memory.peakMb} MB sampled every 100 ms (${memory.samples} samples), high-water mark ${mb(endRss.hwm)} MB`,
    `            ${mb(afterHttp.rss)} MB after the HTTP requests (high-water mark ${mb(afterHttp.hwm)} MB), ${mb(afterWs.rss)} MB after the upgrades (${mb(afterWs.hwm)} MB), ${mb(endRss.rss)} MB after the drain`,
    ...(heapAtPeak && heapAfterGc
      ? [`V8 heap: at the RSS peak ${heapLine(heapAtPeak)}; after a full garbage collection at the end ${heapLine(heapAfterGc)}`]
      : []),
    `database: ${(dbBefore / 1024 / 1024).toFixed(1)} MB before, ${(dbAfter / 1024 / 1024).toFixed(1)} MB after (+${((dbAfter - dbBefore) / 1024 / 1024).toFixed(1)} MB, file and WAL)`,
    '',
    'server log, warn and above:',
    ...Object.entries(problems)
      .sort(([, a], [, b]) => b - a)
      .map(([what, n]) => `  ${n} × ${what}`),
    '',
    ...Object.entries(checks).map(([name, ok]) => `${ok ? 'ok  ' : 'FAIL'} ${name}`),
  ]
  console.log(report.join('\n'))
  if (tally.failureCount) console.log(`\nfailing answers, the first ones:\n\n${formatFailures(tally)}`)
  if (lost.length) console.log(`\naccepted questions that lead nowhere:\n${lost.slice(0, 20).join('\n')}`)
  if (upgradedWrongly.length) console.log(`\nupgrades that should have been refused:\n${upgradedWrongly.slice(0, 20).join('\n')}`)

  const resultsDir = join(BENCH_DIR, 'results')
  mkdirSync(resultsDir, { recursive: true })
  writeFileSync(
    join(resultsDir, 'fuzz-latest.json'),
    JSON.stringify(
      {
        at: new Date().toISOString(),
        machine: machine(),
        revision: revision(),
        seed: SEED,
        requests: REQUESTS,
        upgrades: UPGRADES,
        statuses: Object.fromEntries([...tally.byTarget].map(([target, m]) => [target, Object.fromEntries(m)])),
        failing: tally.failureCount,
        accepted: tally.issued.length,
        withoutItem,
        failedDeliveries: failed,
        loadSeconds,
        drainSeconds,
        rssMb: {
          start: mb(startRss.rss),
          afterHttp: mb(afterHttp.rss),
          afterUpgrades: mb(afterWs.rss),
          peakSampled: memory.peakMb,
          highWaterMark: mb(endRss.hwm),
          end: mb(endRss.rss),
        },
        databaseMb: { before: dbBefore / 1024 / 1024, after: dbAfter / 1024 / 1024 },
        heapAtPeak,
        heapAfterGc,
        serverLog: problems,
        checks,
      },
      null,
      2,
    ) + '\n',
  )
  log(`figures written to ${join('bench', 'results', 'fuzz-latest.json')}`)
  await cleanup()
  process.exit(Object.values(checks).every(Boolean) ? 0 : 1)
} catch (err) {
  console.error(err)
  await cleanup()
  process.exit(1)
}
