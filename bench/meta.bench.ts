// Meta webhook benchmark (not a test), for the "Platform connectors" issue: signed Facebook Page
// comment deliveries (POST /webhooks/meta) accepted per second, and end-to-end messages per second
// (delivery in → item visible), with Tanggap in embedded mode and in redis mode, beside the bare
// baseline of the foundation issue (bench/servers/bare.ts under the website-question load), all in
// one run on the same machine.
//
//   npm run bench:meta                    2 s warm-up, then 10 s per server, then a 20,000-delivery burst per mode
//   BENCH_SECONDS=30 npm run bench:meta   longer measured runs
//   BENCH_BURST=50000 npm run bench:meta  a larger burst
//   BENCH_CPU_PROF=1 npm run bench:meta   V8 CPU profiles of every child in bench/results/profiles/<name>-<time>/
//   BENCH_SQL_TIMING=1 npm run bench:meta time per SQL statement in each Tanggap process during the steady load
//                                         (bench/lib/sql-timing.ts, preloaded; wall time, so lock waits count)
//   BENCH_REDIS_URL=redis://…             another Redis for redis mode (default redis://127.0.0.1:6379)
//
// Every server runs in its own child process; autocannon runs here. Embedded: one child,
// `bench/servers/tanggap-main.ts` (main.ts's start-up: openRuntime + buildApp) with the in-process
// queue and the jobs in the same process. Redis: the same child with REDIS_URL, a unique REDIS_PREFIX
// and RUN_WORKERS=false, plus one `node --import tsx server/src/worker.ts`. Every Redis key under the
// prefix is deleted afterwards (SCAN + DEL), also on an error or Ctrl-C.
// Figures go to stdout and to bench/results/meta-latest.json.
import autocannon, { type Result } from 'autocannon'
import { Redis } from 'ioredis'
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DEMO_PASSWORD } from '@tanggap/db/seed'
import {
  BENCH_DIR,
  CPU_PROF,
  ROOT,
  addCpu,
  cleanup,
  cpuBetween,
  cpuMs,
  figures,
  fmt,
  installCleanupHandlers,
  loadAverage,
  log,
  machine,
  onCleanup,
  positiveNumber,
  processCpu,
  revision,
  sample,
  sleep,
  startChild,
  stopChild,
  table,
  trackTempDir,
  type Child,
  type Cpu,
  type HttpFigures,
  type Sample,
} from './lib/harness.ts'
import { META_PAGE_ID, META_PATH, MetaDeliveries } from './lib/meta-deliveries.ts'
import { QUESTIONS_PATH, questionLoad } from './lib/questions.ts'

const SECONDS = positiveNumber('BENCH_SECONDS', 10)
const WARMUP_SECONDS = 2
const CONNECTIONS = 50
const BURST = Math.max(CONNECTIONS, Math.round(positiveNumber('BENCH_BURST', 20_000) / CONNECTIONS) * CONNECTIONS)
const REDIS_URL = process.env.BENCH_REDIS_URL || 'redis://127.0.0.1:6379'
const TARGET_ACCEPT_RATIO = 0.5
const TARGET_END_TO_END = 2_000
const DRAIN_TIMEOUT_MS = 600_000
const POLL_MS = 50
const SQL_TIMING = process.env.BENCH_SQL_TIMING === '1'

installCleanupHandlers()
const deliveries = new MetaDeliveries()

// ---- the loads ----

/**
 * Signed Page-comment deliveries, each with a comment id not used before; `amount` instead of
 * `seconds` posts exactly that many, and onAllAnswered runs when the last answer arrives (autocannon
 * itself only notices on its next one-second tick).
 */
async function metaLoad(port: number, run: { seconds: number } | { amount: number }, onAllAnswered?: () => void): Promise<Result> {
  const instance = autocannon({
    url: `http://127.0.0.1:${port}`,
    connections: CONNECTIONS,
    ...('amount' in run ? { amount: run.amount } : { duration: run.seconds }),
    timeout: 10,
    requests: [
      {
        method: 'POST',
        path: META_PATH,
        setupRequest: (req) => {
          const d = deliveries.take()
          return {
            ...req,
            headers: { ...req.headers, 'content-type': 'application/json', 'x-hub-signature-256': d.signature, 'user-agent': 'facebookexternalua' },
            body: d.body,
          }
        },
      },
    ],
  })
  if ('amount' in run && onAllAnswered) {
    let answered = 0
    instance.on('response', () => void (++answered === run.amount && onAllAnswered()))
  }
  return await instance
}

// ---- the Tanggap child's stats route ----

interface Marks {
  delivery: number
  message: number
  item: number
}
interface Window {
  deliveries: number
  processed: number
  failed: number
  firstReceivedAt: number | null
  lastReceivedAt: number | null
  firstProcessedAt: number | null
  lastProcessedAt: number | null
  messages: number
  lastMessageAt: number | null
  items: number
  lastItemAt: number | null
  maxItemId: number | null
}
interface Stats {
  at: number
  deliveries: { pending: number; failed: number }
  marks: Marks
  window: Window
  cpu: Cpu
  rssBytes: number
}

async function stats(port: number, since?: Marks): Promise<Stats> {
  const q = since ? `?d=${since.delivery}&m=${since.message}&i=${since.item}` : ''
  const res = await fetch(`http://127.0.0.1:${port}/bench/stats${q}`)
  if (!res.ok) throw new Error(`GET /bench/stats: ${res.status} ${await res.text()}`)
  return (await res.json()) as Stats
}

/**
 * Polls (cheaply: one index count) until no delivery is pending, then reads the window and checks
 * that every delivery after the marks is processed (or failed) and that their number stays put.
 * The end-to-end time comes from the stored timestamps, not from when the poll noticed.
 */
async function drained(port: number, since: Marks): Promise<Stats> {
  const until = Date.now() + DRAIN_TIMEOUT_MS
  let previous = -1
  for (;;) {
    const res = await fetch(`http://127.0.0.1:${port}/bench/pending`)
    if (!res.ok) throw new Error(`GET /bench/pending: ${res.status} ${await res.text()}`)
    const { pending } = (await res.json()) as { pending: number }
    if (pending === 0) {
      const s = await stats(port, since)
      const w = s.window
      if (s.deliveries.pending === 0 && w.processed + w.failed === w.deliveries && w.deliveries === previous) return s
      previous = w.deliveries
    }
    if (Date.now() > until) throw new Error(`not drained after ${DRAIN_TIMEOUT_MS / 1000} s: ${pending} deliveries pending`)
    await sleep(POLL_MS)
  }
}

/** Until the job queue has nothing waiting or running (group commit leaves jobs that find their delivery done). */
async function queueIdle(port: number): Promise<void> {
  const res = await fetch(`http://127.0.0.1:${port}/bench/idle`)
  if (!res.ok) throw new Error(`GET /bench/idle: ${res.status} ${await res.text()}`)
}

/** Through the real API, as a signed-in supervisor: the newest Facebook item is the last one the phase made. */
async function visibleThroughApi(port: number, w: Window): Promise<{ ok: boolean; newestItemId: number | null; preview: string | null }> {
  const login = await fetch(`http://127.0.0.1:${port}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'prokompim', password: DEMO_PASSWORD }),
  })
  if (!login.ok) throw new Error(`login prokompim: ${login.status} ${await login.text()}`)
  const cookie = login.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ')
  const res = await fetch(`http://127.0.0.1:${port}/api/items?platform=facebook&sort=newest&limit=1`, { headers: { cookie } })
  if (!res.ok) throw new Error(`GET /api/items: ${res.status} ${await res.text()}`)
  const newest = ((await res.json()) as { items: { id: number; preview: string }[] }).items[0]
  return { ok: !!newest && newest.id === w.maxItemId, newestItemId: newest?.id ?? null, preview: newest?.preview ?? null }
}

// ---- Redis ----

async function redisCpu(redis: Redis): Promise<Cpu> {
  const info = await redis.info('cpu')
  const field = (name: string) => Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(info)?.[1] ?? 0)
  return { user: field('used_cpu_user') * 1e6, system: field('used_cpu_sys') * 1e6 }
}

async function keysUnder(redis: Redis, prefix: string, del: boolean): Promise<number> {
  let cursor = '0'
  let n = 0
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000)
    cursor = next
    if (keys.length) n += del ? await redis.del(...keys) : keys.length
  } while (cursor !== '0')
  return n
}

// ---- SQL timing (BENCH_SQL_TIMING=1) ----

interface SqlTiming {
  /** All statements together, milliseconds per message of the phase. */
  msPerMessage: number
  top: { sql: string; calls: number; msPerMessage: number; usPerCall: number }[]
}

/** Asks a child for its statement totals (SIGUSR2) and waits until it has written them; the child starts again from zero. */
async function sqlTotals(child: Child, file: string): Promise<{ sql: string; calls: number; ns: number }[]> {
  rmSync(file, { force: true })
  child.proc.kill('SIGUSR2')
  for (let i = 0; i < 100; i++) {
    await sleep(50)
    if (!existsSync(file)) continue
    try {
      return JSON.parse(readFileSync(file, 'utf8')) as { sql: string; calls: number; ns: number }[]
    } catch {
      // still being written
    }
  }
  throw new Error(`${child.name} wrote no SQL timings to ${file}`)
}

function sqlTiming(rows: { sql: string; calls: number; ns: number }[], messages: number): SqlTiming {
  const per = (ns: number) => (messages ? ns / 1e6 / messages : 0)
  const sorted = [...rows].sort((a, b) => b.ns - a.ns)
  return {
    msPerMessage: per(rows.reduce((n, r) => n + r.ns, 0)),
    top: sorted.slice(0, 15).map((r) => ({ sql: r.sql, calls: r.calls, msPerMessage: per(r.ns), usPerCall: r.ns / r.calls / 1000 })),
  }
}

// ---- measuring ----

const ZERO: Cpu = { user: 0, system: 0 }

interface AcceptFigures extends HttpFigures {
  /** redis-server's CPU use during the load, in cores (redis mode). */
  redisCores: number
}

interface EndToEnd {
  /** Deliveries stored from the phase's requests. */
  deliveries: number
  messages: number
  items: number
  failed: number
  /** From the first request to the last message being stored (its item visible). */
  seconds: number
  messagesPerSecond: number
  /** Deliveries not yet processed when the load stopped. */
  backlogAtEndOfLoad: number
  /** From the end of the load to the last message. */
  drainSeconds: number
  /** Messages made after the load stopped, per second of the drain: the processing rate with a full queue. */
  drainMessagesPerSecond: number | null
  /** Tanggap's CPU time (web + worker) from the first request until every job finished, per message. */
  serverCpuMsPerMessage: number
  redisCpuMsPerMessage: number
  otherCoresUntilDone: number
  visibleThroughApi: boolean
}

interface Burst extends EndToEnd {
  posted: number
  postSeconds: number
  acceptedPerSecond: number
  latencyMs: { p50: number; p99: number; max: number }
  non2xxOrErrors: number
}

/** Processing alone: BURST deliveries stored while no job runs, then a process that runs jobs takes them on, with no requests arriving. */
interface FullQueue {
  deliveries: number
  messages: number
  failed: number
  /** From the first processed batch to the last message stored. */
  seconds: number
  messagesPerSecond: number
  visibleThroughApi: boolean
}

interface ModeResult {
  mode: 'embedded' | 'redis'
  loadAverageBefore: [number, number, number]
  accepted: AcceptFigures
  /** CPU use of each Tanggap process during the steady load, in cores. */
  processCores: Record<string, number>
  /** Warnings and errors the Tanggap processes logged (pino level ≥ 40), by process, message and error code. */
  loggedProblems: Record<string, number>
  /** BENCH_SQL_TIMING=1: per process, the statements that took the most time during the steady load (until its jobs finished). */
  sqlTiming?: Record<string, SqlTiming>
  endToEnd: EndToEnd
  burst: Burst
  fullQueue: FullQueue
  signedOnTheFly: number
  rssMb: number
  redis?: { prefix: string; keysDeleted: number; keysLeft: number }
}

/** End-to-end figures of a phase that started at t0 and whose load ended at tEnd. */
function endToEnd(t0: number, tEnd: number, atEnd: Stats, done: Stats, cpu: { start: Sample; done: Sample }, visible: boolean): EndToEnd {
  const w = done.window
  const last = Math.max(w.lastMessageAt ?? 0, w.lastItemAt ?? 0, w.lastProcessedAt ?? 0) || tEnd
  const seconds = (last - t0) / 1000
  const drainSeconds = Math.max(0, (last - atEnd.at) / 1000)
  const afterLoad = w.messages - atEnd.window.messages
  const c = cpuBetween(cpu.start, cpu.done)
  return {
    deliveries: w.deliveries,
    messages: w.messages,
    items: w.items,
    failed: w.failed,
    seconds,
    messagesPerSecond: seconds > 0 ? w.messages / seconds : 0,
    backlogAtEndOfLoad: atEnd.window.deliveries - atEnd.window.processed - atEnd.window.failed,
    drainSeconds,
    drainMessagesPerSecond: drainSeconds > 0.05 && afterLoad > 0 ? afterLoad / drainSeconds : null,
    serverCpuMsPerMessage: w.messages ? c.serverMs / w.messages : 0,
    redisCpuMsPerMessage: w.messages ? c.extraMs / w.messages : 0,
    otherCoresUntilDone: c.otherCores,
    visibleThroughApi: visible,
  }
}

type BareFigures = AcceptFigures & { loadAverageBefore: [number, number, number] }

/** The bare baseline, measured right before each mode: this machine's speed drifts by a third within minutes. */
async function benchBare(root: string, before: string): Promise<BareFigures> {
  const dir = join(root, `bare-${before}`)
  mkdirSync(dir)
  const loadAverageBefore = loadAverage()
  const child = await startChild({ name: 'bare', script: join(BENCH_DIR, 'servers', 'bare.ts'), env: { BENCH_DIR: dir, NODE_ENV: 'production' } })
  try {
    log(`bare: warm-up ${WARMUP_SECONDS} s (load average ${loadAverageBefore.join(' ')})`)
    await questionLoad(child.port, WARMUP_SECONDS, CONNECTIONS)
    log(`bare: measuring ${SECONDS} s, ${CONNECTIONS} connections, POST ${QUESTIONS_PATH}`)
    const cpu = () => processCpu(child.pid)
    const before = await sample(cpu)
    const result = await questionLoad(child.port, SECONDS, CONNECTIONS)
    const after = await sample(cpu)
    return { ...figures(result, cpuBetween(before, after)), redisCores: 0, loadAverageBefore }
  } finally {
    await stopChild(child.proc)
  }
}

async function benchTanggap(root: string, mode: 'embedded' | 'redis', bareRps: number, redis: Redis | null): Promise<ModeResult> {
  const dir = join(root, mode)
  mkdirSync(dir)
  const prefix = `tanggap-bench-${process.pid}-${Date.now()}`
  const env: Record<string, string> = {
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: '0',
    DATA_DIR: dir,
    DATABASE_FILE: join(dir, 'tanggap.db'),
    SECRET_KEY: randomBytes(32).toString('hex'),
    SEED_DEMO: 'true',
    // Warnings and errors only (no per-request lines): the bench counts them.
    LOG_LEVEL: 'warn',
    WEB_DIST: join(dir, 'no-web-dist'),
    // Keep the bench offline: platform APIs (YouTube polling, replies) point at a closed local port.
    SIMULATOR_URL: 'http://127.0.0.1:9',
    ...(mode === 'redis' ? { REDIS_URL, REDIS_PREFIX: prefix, RUN_WORKERS: 'false' } : { RUN_WORKERS: 'true' }),
  }
  let redisKeys: ModeResult['redis']
  const dropKeys = redis
    ? onCleanup(async () => {
        const keysDeleted = await keysUnder(redis, prefix, true)
        redisKeys = { prefix, keysDeleted, keysLeft: await keysUnder(redis, prefix, false) }
      })
    : async () => {}
  const loadAverageBefore = loadAverage()
  const children: Child[] = []
  const loggedProblems: Record<string, number> = {}
  const countProblems = (name: string) => (line: string) => {
    if (!line.startsWith('{')) return
    try {
      const entry = JSON.parse(line) as { level?: number; msg?: string; job?: string; err?: { code?: string; message?: string } }
      if ((entry.level ?? 0) < 40) return
      const what = `${name}: ${entry.job ? `${entry.job} ` : ''}${entry.msg ?? ''}${entry.err ? ` (${entry.err.code ?? entry.err.message ?? 'error'})` : ''}`
      loggedProblems[what] = (loggedProblems[what] ?? 0) + 1
    } catch {
      // not a log line
    }
  }
  let measured: Omit<ModeResult, 'redis'>
  try {
    const sqlFile = (who: string) => join(dir, `sql-timing-${who}.json`)
    const timing = (who: string): { nodeArgs: string[]; timingEnv: Record<string, string> } =>
      SQL_TIMING
        ? { nodeArgs: ['--import', join(BENCH_DIR, 'lib', 'sql-timing.ts')], timingEnv: { BENCH_SQL_TIMING_FILE: sqlFile(who) } }
        : { nodeArgs: [], timingEnv: {} }
    const web = await startChild({
      name: `tanggap-${mode}`,
      script: join(BENCH_DIR, 'servers', 'tanggap-main.ts'),
      env: { ...env, ...timing('web').timingEnv },
      nodeArgs: timing('web').nodeArgs,
      onLine: countProblems('web'),
    })
    children.push(web)
    if (mode === 'redis') {
      // The worker opens the database the web child has seeded; LOG_LEVEL=info only to see it start.
      children.push(
        await startChild({
          name: 'tanggap-worker',
          script: join(ROOT, 'server', 'src', 'worker.ts'),
          env: { ...env, ...timing('worker').timingEnv, LOG_LEVEL: 'info' },
          nodeArgs: timing('worker').nodeArgs,
          ready: /"msg":"worker started"/,
          onLine: countProblems('worker'),
        }),
      )
    }
    const port = web.port
    const serverCpu = () => addCpu(...children.map((c) => processCpu(c.pid)))
    const cpuOfEach = () => children.map((c) => processCpu(c.pid))
    const role = (c: Child) => (c.name === 'tanggap-worker' ? 'worker' : 'web')
    const extraCpu = redis ? () => redisCpu(redis) : () => ZERO
    const snap = () => sample(serverCpu, extraCpu)
    const tag = `tanggap ${mode}`

    // Warm-up, then wait until everything it started is done.
    let ms = deliveries.fill(Math.min(30_000, Math.ceil(bareRps * WARMUP_SECONDS)))
    log(`${tag}: warm-up ${WARMUP_SECONDS} s (load average ${loadAverageBefore.join(' ')}; signed warm-up bodies in ${fmt(ms)} ms)`)
    let marks = (await stats(port)).marks
    const warm = await metaLoad(port, { seconds: WARMUP_SECONDS })
    await drained(port, marks)
    await queueIdle(port)
    if (warm['2xx'] === 0) throw new Error(`${tag}: no delivery accepted in the warm-up: ${JSON.stringify(warm.statusCodeStats)}`)

    // 1. Accepted per second under a steady load, and end to end for those deliveries.
    ms = deliveries.fill(Math.ceil(Math.min(warm.requests.average * 2.5, bareRps * 1.1) * SECONDS) + 2_000)
    log(`${tag}: measuring ${SECONDS} s, ${CONNECTIONS} connections, POST ${META_PATH} (signed bodies in ${fmt(ms)} ms)`)
    const onTheFlyBefore = deliveries.onTheFly
    marks = (await stats(port)).marks
    if (SQL_TIMING) for (const ch of children) await sqlTotals(ch, sqlFile(role(ch)))
    const eachBefore = cpuOfEach()
    const before = await snap()
    const t0 = Date.now()
    const result = await metaLoad(port, { seconds: SECONDS })
    const tEnd = Date.now()
    const after = await snap()
    const eachAfter = cpuOfEach()
    const processCores = Object.fromEntries(children.map((ch, i) => [role(ch), cpuMs(eachBefore[i]!, eachAfter[i]!) / (after.at - before.at)]))
    const atEnd = await stats(port, marks)
    const done = await drained(port, marks)
    await queueIdle(port)
    const finished = await snap()
    let sql: Record<string, SqlTiming> | undefined
    if (SQL_TIMING) {
      sql = {}
      for (const ch of children) sql[role(ch)] = sqlTiming(await sqlTotals(ch, sqlFile(role(ch))), done.window.messages)
    }
    const c = cpuBetween(before, after)
    const accepted: AcceptFigures = { ...figures(result, c), redisCores: c.extraMs / c.wallMs }
    const visible = await visibleThroughApi(port, done.window)
    const steady = endToEnd(t0, tEnd, atEnd, done, { start: before, done: finished }, visible.ok)

    // 2. A burst: BURST deliveries posted as fast as they go, then until every one is an item.
    ms = deliveries.fill(BURST + 2 * CONNECTIONS)
    log(`${tag}: burst of ${fmt(BURST)} deliveries (signed in ${fmt(ms)} ms)`)
    marks = (await stats(port)).marks
    const bStart = await snap()
    const b0 = Date.now()
    let answeredAt = 0
    let atAnswered: Promise<Stats> | undefined
    const posted = await metaLoad(port, { amount: BURST }, () => {
      answeredAt = Date.now()
      atAnswered = stats(port, marks)
    })
    const bEnd = answeredAt || Date.now()
    const bAtEnd = await (atAnswered ?? stats(port, marks))
    const bDone = await drained(port, marks)
    await queueIdle(port)
    const bFinished = await snap()
    const bVisible = await visibleThroughApi(port, bDone.window)
    const postSeconds = (bEnd - b0) / 1000
    const burst: Burst = {
      ...endToEnd(b0, bEnd, bAtEnd, bDone, { start: bStart, done: bFinished }, bVisible.ok),
      posted: posted['2xx'],
      postSeconds,
      acceptedPerSecond: posted['2xx'] / postSeconds,
      latencyMs: { p50: posted.latency.p50, p99: posted.latency.p99, max: posted.latency.max },
      non2xxOrErrors: posted.non2xx + posted.errors + posted.timeouts,
    }
    const rssMb = Math.round(bDone.rssBytes / 2 ** 20)

    // 3. Processing alone, with a full queue: BURST deliveries are stored while no job runs, then a
    // process that runs jobs takes them on while no request arrives. Embedded: the web child is
    // restarted with RUN_WORKERS=false for the posts, then restarted as before; its start-up
    // requeues every pending delivery, as after a crash. Redis: the worker is stopped for the posts
    // (the jobs wait in Redis), then a new worker starts.
    const retire = async (ch: Child) => {
      await stopChild(ch.proc)
      children.splice(children.indexOf(ch), 1)
    }
    const enlist = async (started: Promise<Child>) => {
      const ch = await started
      children.push(ch)
      return ch
    }
    const startWeb = (suffix: string, runWorkers: boolean) =>
      startChild({
        name: `tanggap-${mode}-${suffix}`,
        script: join(BENCH_DIR, 'servers', 'tanggap-main.ts'),
        env: { ...env, RUN_WORKERS: String(runWorkers) },
        onLine: countProblems('web'),
      })
    const startWorker = () =>
      startChild({
        name: 'tanggap-worker',
        script: join(ROOT, 'server', 'src', 'worker.ts'),
        env: { ...env, LOG_LEVEL: 'info' },
        ready: /"msg":"worker started"/,
        onLine: countProblems('worker'),
      })
    ms = deliveries.fill(BURST + 2 * CONNECTIONS)
    log(`${tag}: full queue: ${fmt(BURST)} deliveries stored with no job running, then processed alone (signed in ${fmt(ms)} ms)`)
    let front = children.find((ch) => role(ch) === 'web')!
    if (mode === 'embedded') {
      await retire(front)
      front = await enlist(startWeb('store-only', false))
    } else await retire(children.find((ch) => role(ch) === 'worker')!)
    marks = (await stats(front.port)).marks
    const stored = await metaLoad(front.port, { amount: BURST })
    if (stored['2xx'] !== BURST) throw new Error(`${tag}: full queue: ${stored['2xx']} of ${BURST} deliveries accepted`)
    if (mode === 'embedded') {
      await retire(front)
      front = await enlist(startWeb('restarted', true))
    } else await enlist(startWorker())
    const qDone = await drained(front.port, marks)
    await queueIdle(front.port)
    const qw = qDone.window
    const qSeconds = (Math.max(qw.lastMessageAt ?? 0, qw.lastProcessedAt ?? 0) - (qw.firstProcessedAt ?? 0)) / 1000
    const fullQueue: FullQueue = {
      deliveries: qw.deliveries,
      messages: qw.messages,
      failed: qw.failed,
      seconds: qSeconds,
      messagesPerSecond: qSeconds > 0 ? qw.messages / qSeconds : 0,
      visibleThroughApi: (await visibleThroughApi(front.port, qw)).ok,
    }

    const signedOnTheFly = deliveries.onTheFly - onTheFlyBefore
    measured = {
      mode,
      loadAverageBefore,
      accepted,
      processCores,
      loggedProblems,
      ...(sql ? { sqlTiming: sql } : {}),
      endToEnd: steady,
      burst,
      fullQueue,
      signedOnTheFly,
      rssMb,
    }
  } finally {
    // The worker first (it holds BullMQ connections), then the web child, then the Redis keys.
    for (const ch of [...children].reverse()) await stopChild(ch.proc)
    await dropKeys()
  }
  return { ...measured, ...(redisKeys ? { redis: redisKeys } : {}) }
}

// ---- report ----

async function main() {
  const root = mkdtempSync(join(tmpdir(), 'tanggap-meta-bench-'))
  trackTempDir(root)
  if (CPU_PROF) mkdirSync(join(BENCH_DIR, 'results', 'profiles'), { recursive: true })
  const m = machine()
  const loadAtStart = loadAverage()
  log(
    `${m.cpus} CPU (${m.cpuModel}), Node ${m.node}; ${SECONDS} s per server after ${WARMUP_SECONDS} s warm-up, burst ${fmt(BURST)}; load average ${loadAtStart.join(' ')}`,
  )

  let redis: Redis | null = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 })
  redis.on('error', () => {})
  let redisSkipped: string | null = null
  try {
    await redis.connect()
    await redis.ping()
  } catch (err) {
    redisSkipped = `Redis at ${REDIS_URL} not reachable: ${err instanceof Error ? err.message : String(err)}`
    redis.disconnect()
    redis = null
    log(`${redisSkipped}; redis mode skipped`)
  }
  if (redis) {
    const r = redis
    onCleanup(async () => void (await r.quit().catch(() => r.disconnect())))
  }

  const bareBefore: Partial<Record<ModeResult['mode'], BareFigures>> = {}
  bareBefore.embedded = await benchBare(root, 'embedded')
  const embedded = await benchTanggap(root, 'embedded', bareBefore.embedded.requestsPerSecond, null)
  if (redis) bareBefore.redis = await benchBare(root, 'redis')
  const redisMode = redis ? await benchTanggap(root, 'redis', bareBefore.redis!.requestsPerSecond, redis) : null
  const loadAtEnd = loadAverage()
  const modes = [embedded, ...(redisMode ? [redisMode] : [])]

  const bareOf = (r: ModeResult) => bareBefore[r.mode]!
  const ratio = (r: ModeResult) => r.accepted.requestsPerSecond / bareOf(r).requestsPerSecond
  const cpuRatio = (r: ModeResult) => bareOf(r).serverCpuMsPerRequest / r.accepted.serverCpuMsPerRequest
  const acceptMet = (r: ModeResult) => ratio(r) >= TARGET_ACCEPT_RATIO
  const e2eMet = { steady: embedded.endToEnd.messagesPerSecond >= TARGET_END_TO_END, burst: embedded.burst.messagesPerSecond >= TARGET_END_TO_END }
  const busiest = Math.max(...modes.map((r) => bareOf(r).otherCores), ...modes.map((r) => Math.max(r.accepted.otherCores, r.burst.otherCoresUntilDone)))

  const name = (r: ModeResult) => (r.mode === 'embedded' ? 'Tanggap embedded' : 'Tanggap redis (web + 1 worker)')
  const acceptRow = (label: string, f: AcceptFigures, la: number[]) => [
    label,
    fmt(f.requestsPerSecond),
    fmt(f.latencyMs.p50),
    fmt(f.latencyMs.p99),
    fmt(f.ok2xx),
    fmt(f.non2xx + f.errors + f.timeouts),
    fmt(f.serverCpuMsPerRequest, 3),
    fmt(f.serverCores, 2),
    fmt(f.redisCores, 2),
    fmt(f.loadGeneratorCores, 2),
    fmt(f.otherCores, 2),
    la.map((x) => x.toFixed(2)).join(' '),
  ]
  const e2eRow = (label: string, e: EndToEnd) => [
    label,
    fmt(e.deliveries),
    fmt(e.messages),
    e.seconds.toFixed(2),
    fmt(e.messagesPerSecond),
    fmt(e.backlogAtEndOfLoad),
    e.drainSeconds.toFixed(2),
    e.drainMessagesPerSecond === null ? '–' : fmt(e.drainMessagesPerSecond),
    fmt(e.serverCpuMsPerMessage, 3),
    fmt(e.redisCpuMsPerMessage, 3),
    fmt(e.otherCoresUntilDone, 2),
    String(e.failed),
    e.visibleThroughApi ? 'yes' : 'NO',
  ]
  const burstRow = (label: string, b: Burst) => [
    label,
    fmt(b.posted),
    b.postSeconds.toFixed(2),
    fmt(b.acceptedPerSecond),
    fmt(b.latencyMs.p99),
    ...e2eRow('', b).slice(4),
  ]
  const e2eHead = [
    'deliveries',
    'messages',
    's to last',
    'messages/s',
    'backlog at end',
    'drain s',
    'drain msg/s',
    'CPU ms/msg',
    'redis ms/msg',
    'other cores',
    'failed',
    'in API',
  ]

  const out = [
    '',
    `Meta webhook benchmark — signed Facebook Page comment deliveries, POST ${META_PATH}, ${CONNECTIONS} connections, ${SECONDS} s (after ${WARMUP_SECONDS} s warm-up)`,
    `${m.cpus} × ${m.cpuModel}, Node ${m.node}; body ${fmt(deliveries.bytes.min)}–${fmt(deliveries.bytes.max)} bytes; load average at start ${loadAtStart.join(' ')}, at end ${loadAtEnd.join(' ')}`,
    '',
    'Accepted (bare: the foundation baseline, website questions on POST /api/public/questions, measured right before each mode):',
    table([
      [
        'server',
        'req/s',
        'p50 ms',
        'p99 ms',
        '2xx',
        'non-2xx/err',
        'CPU ms/req',
        'server cores',
        'redis cores',
        'autocannon cores',
        'other cores',
        'load avg before',
      ],
      ...modes.flatMap((r) => [
        acceptRow(`bare Fastify + better-sqlite3 (before ${r.mode})`, bareOf(r), bareOf(r).loadAverageBefore),
        acceptRow(name(r), r.accepted, r.loadAverageBefore),
      ]),
    ]),
    '',
    ...modes.map(
      (r) =>
        `${name(r)} / the bare run before it: ${(ratio(r) * 100).toFixed(1)} % of the requests per second (target ≥ ${TARGET_ACCEPT_RATIO * 100} %: ${acceptMet(r) ? 'MET' : 'NOT MET'}); ` +
        `CPU per request ${(1 / cpuRatio(r)).toFixed(1)} × bare (${(cpuRatio(r) * 100).toFixed(1)} % of bare's rate at equal CPU)`,
    ),
    ...modes
      .filter((r) => r.mode === 'redis')
      .map(
        (r) =>
          `Tanggap redis, CPU during the steady load: ${Object.entries(r.processCores)
            .map(([k, v]) => `${k} ${v.toFixed(2)} cores`)
            .join(', ')}`,
      ),
    ...(redisSkipped ? [`redis mode skipped: ${redisSkipped}`] : []),
    '',
    `End to end, the same ${SECONDS} s load (first request → last message stored; CPU = Tanggap processes until every job finished):`,
    table([['mode', ...e2eHead], ...modes.map((r) => e2eRow(name(r), r.endToEnd))]),
    '',
    `Burst: ${fmt(BURST)} deliveries posted as fast as they go, then until all are items (first POST → last message):`,
    table([['mode', 'posted', 'post s', 'accepted/s', 'p99 ms', ...e2eHead.slice(3)], ...modes.map((r) => burstRow(name(r), r.burst))]),
    '',
    `Full queue: ${fmt(BURST)} deliveries stored while no job ran, then processed with no request arriving (first processed batch → last message):`,
    table([
      ['mode', 'deliveries', 'messages', 'seconds', 'messages/s', 'failed', 'in API'],
      ...modes.map((r) => [
        name(r),
        fmt(r.fullQueue.deliveries),
        fmt(r.fullQueue.messages),
        r.fullQueue.seconds.toFixed(2),
        fmt(r.fullQueue.messagesPerSecond),
        String(r.fullQueue.failed),
        r.fullQueue.visibleThroughApi ? 'yes' : 'NO',
      ]),
    ]),
    '',
    `End to end, embedded: ${fmt(embedded.endToEnd.messagesPerSecond)} messages/s under the steady load, ${fmt(embedded.burst.messagesPerSecond)} messages/s for the burst ` +
      `(target ≥ ${fmt(TARGET_END_TO_END)}: steady ${e2eMet.steady ? 'MET' : 'NOT MET'}, burst ${e2eMet.burst ? 'MET' : 'NOT MET'})`,
    ...(modes.some((r) => r.signedOnTheFly > 0)
      ? [`note: the pre-signed pool ran dry; ${modes.map((r) => `${r.mode} ${r.signedOnTheFly}`).join(', ')} deliveries were signed during the load`]
      : []),
    ...(busiest > 0.25
      ? [`WARNING: other processes used up to ${busiest.toFixed(2)} cores during the runs; the req/s figures are skewed, run again on a quiet machine.`]
      : []),
    ...modes.flatMap((r) =>
      Object.entries(r.sqlTiming ?? {}).flatMap(([who, t]) => [
        `SQL time in Tanggap ${r.mode}, ${who} process, steady load until its jobs finished: ${t.msPerMessage.toFixed(3)} ms per message (wall time in the calls)`,
        ...t.top
          .slice(0, 12)
          .map(
            (x) =>
              `  ${x.msPerMessage.toFixed(4)} ms/msg  ${x.usPerCall.toFixed(1).padStart(8)} µs/call  ${fmt(x.calls).padStart(7)} calls  ${x.sql.slice(0, 110)}`,
          ),
      ]),
    ),
    ...modes.flatMap((r) => {
      const logged = Object.entries(r.loggedProblems).sort((a, b) => b[1] - a[1])
      return logged.length ? [`Logged by Tanggap ${r.mode} (warnings and errors):`, ...logged.map(([what, n]) => `  ${fmt(n).padStart(6)} × ${what}`)] : []
    }),
    ...(redisMode?.redis ? [`Redis: ${fmt(redisMode.redis.keysDeleted)} keys under ${redisMode.redis.prefix}: deleted, ${redisMode.redis.keysLeft} left`] : []),
    '',
  ].join('\n')
  process.stdout.write(out)

  const resultsDir = join(BENCH_DIR, 'results')
  mkdirSync(resultsDir, { recursive: true })
  const json = {
    date: new Date().toISOString(),
    machine: m,
    revision: revision(),
    loadAverage: { start: loadAtStart, end: loadAtEnd },
    settings: {
      path: META_PATH,
      pageId: META_PAGE_ID,
      connections: CONNECTIONS,
      seconds: SECONDS,
      warmupSeconds: WARMUP_SECONDS,
      burst: BURST,
      targetAcceptRatio: TARGET_ACCEPT_RATIO,
      targetEndToEndMessagesPerSecond: TARGET_END_TO_END,
      bodyBytes: { min: deliveries.bytes.min, max: deliveries.bytes.max, average: Math.round(deliveries.bytes.total / deliveries.bytes.count) },
      cpuProfiles: CPU_PROF,
      sqlTiming: SQL_TIMING,
    },
    bare: bareBefore,
    embedded,
    redis: redisMode ?? { skipped: redisSkipped },
    ratios: Object.fromEntries(modes.map((r) => [r.mode, { accepted: ratio(r), cpuPerRequest: cpuRatio(r), targetMet: acceptMet(r) }])),
    endToEndTargetMet: e2eMet,
  }
  writeFileSync(join(resultsDir, 'meta-latest.json'), `${JSON.stringify(json, null, 2)}\n`)
  log(`figures written to ${join('bench', 'results', 'meta-latest.json')}`)
}

try {
  await main()
} catch (err) {
  console.error(err)
  process.exitCode = 1
} finally {
  await cleanup()
}
