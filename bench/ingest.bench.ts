// Ingest benchmark (not a test): website questions accepted per second by the real app, beside a
// bare Fastify + better-sqlite3 insert endpoint measured in the same run on the same machine.
//
//   npm run bench                   10 s per server after a 2 s warm-up
//   BENCH_SECONDS=30 npm run bench  longer runs
//   BENCH_CPU_PROF=1 npm run bench  also writes V8 CPU profiles of both servers to bench/results/profiles/<server>-<time>/
//                                   (one file per thread; the largest is the main thread)
//
// Each server runs in its own child process (node --import tsx) so autocannon, here in the parent,
// never shares the server's event loop. Figures go to stdout and to bench/results/latest.json.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  BENCH_DIR,
  CPU_PROF,
  cleanup,
  cpuBetween,
  figures,
  fmt,
  installCleanupHandlers,
  log,
  machine,
  positiveNumber,
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
} from './lib/harness.ts'
import { QUESTIONS_PATH as PATH, questionLoad } from './lib/questions.ts'

const SECONDS = positiveNumber('BENCH_SECONDS', 10)
const WARMUP_SECONDS = 2
const CONNECTIONS = 50
const TARGET_RATIO = 0.5

const load = (port: number, seconds: number) => questionLoad(port, seconds, CONNECTIONS)

// ---- child processes ----

installCleanupHandlers()

const startServer = (name: 'bare' | 'tanggap', dir: string): Promise<Child> =>
  startChild({ name, script: join(BENCH_DIR, 'servers', `${name}.ts`), env: { BENCH_DIR: dir, NODE_ENV: 'production' } })
const stopServer = stopChild

async function stats<T>(port: number, query = ''): Promise<T> {
  const res = await fetch(`http://127.0.0.1:${port}/bench/stats${query}`)
  if (!res.ok) throw new Error(`GET /bench/stats: ${res.status} ${await res.text()}`)
  return (await res.json()) as T
}

// ---- measuring ----

/** The server's own CPU time, as its stats route reports it. */
const serverSample = (port: number) => sample(async () => (await stats<{ cpu: Cpu }>(port)).cpu)

async function benchBare(root: string): Promise<HttpFigures> {
  const dir = join(root, 'bare')
  mkdirSync(dir)
  const child = await startServer('bare', dir)
  try {
    log(`bare: warm-up ${WARMUP_SECONDS} s`)
    await load(child.port, WARMUP_SECONDS)
    log(`bare: measuring ${SECONDS} s, ${CONNECTIONS} connections`)
    const before = await serverSample(child.port)
    const result = await load(child.port, SECONDS)
    const after = await serverSample(child.port)
    return figures(result, cpuBetween(before, after))
  } finally {
    await stopServer(child.proc)
  }
}

interface TanggapStats {
  deliveries: Record<string, number>
  items: number
  window: {
    deliveries: number
    processed: number
    items: number
    firstReceivedAt: number | null
    lastProcessedAt: number | null
    lastItemCreatedAt: number | null
  }
  cpu: Cpu
  rssBytes: number
}

interface EndToEnd {
  /** Items created from the questions accepted in the measured run. */
  items: number
  /** From the first request of the measured run to the last of its items being created. */
  seconds: number
  itemsPerSecond: number
  /** Deliveries still pending when the load stopped. */
  backlogAtEndOfLoad: number
  /** From the end of the load to the last item. */
  drainSeconds: number
  failedDeliveries: number
}

/** Polls (cheaply: one index count) until no delivery is pending; then returns the stats. */
async function drained(port: number, since: number, timeoutMs: number): Promise<TanggapStats> {
  const until = Date.now() + timeoutMs
  for (;;) {
    const res = await fetch(`http://127.0.0.1:${port}/bench/pending`)
    if (!res.ok) throw new Error(`GET /bench/pending: ${res.status} ${await res.text()}`)
    const { pending } = (await res.json()) as { pending: number }
    if (pending === 0) return await stats<TanggapStats>(port, `?since=${since}`)
    if (Date.now() > until) throw new Error(`queue not drained after ${timeoutMs / 1000} s: ${pending} deliveries pending`)
    await sleep(50)
  }
}

async function benchTanggap(root: string): Promise<{ http: HttpFigures; endToEnd: EndToEnd; rssMb: number }> {
  const dir = join(root, 'tanggap')
  mkdirSync(dir)
  const child = await startServer('tanggap', dir)
  try {
    log(`tanggap: warm-up ${WARMUP_SECONDS} s`)
    await load(child.port, WARMUP_SECONDS)
    await drained(child.port, 0, 300_000)
    log(`tanggap: measuring ${SECONDS} s, ${CONNECTIONS} connections`)
    const before = await serverSample(child.port)
    const t0 = Date.now()
    const result = await load(child.port, SECONDS)
    const tEnd = Date.now()
    const after = await serverSample(child.port)
    const atEnd = await stats<TanggapStats>(child.port, `?since=${t0}`)
    const done = await drained(child.port, t0, 300_000)
    const w = done.window
    const last = w.lastItemCreatedAt ?? w.lastProcessedAt ?? tEnd
    const seconds = (last - t0) / 1000
    return {
      http: figures(result, cpuBetween(before, after)),
      endToEnd: {
        items: w.items,
        seconds,
        itemsPerSecond: seconds > 0 ? w.items / seconds : 0,
        backlogAtEndOfLoad: atEnd.deliveries.pending ?? 0,
        drainSeconds: Math.max(0, (last - tEnd) / 1000),
        failedDeliveries: done.deliveries.failed ?? 0,
      },
      rssMb: done.rssBytes / 2 ** 20,
    }
  } finally {
    await stopServer(child.proc)
  }
}

async function main() {
  const root = mkdtempSync(join(tmpdir(), 'tanggap-bench-'))
  trackTempDir(root)
  if (CPU_PROF) mkdirSync(join(BENCH_DIR, 'results', 'profiles'), { recursive: true })
  const m = machine()
  log(`${m.cpus} CPU (${m.cpuModel}), Node ${m.node}; ${SECONDS} s per server after ${WARMUP_SECONDS} s warm-up`)

  const bare = await benchBare(root)
  const tanggap = await benchTanggap(root)
  const ratio = tanggap.http.requestsPerSecond / bare.requestsPerSecond
  const met = ratio >= TARGET_RATIO

  // Per accepted question, how much CPU each server spends: the ratio a quiet machine would show
  // when both servers get the same CPU (the req/s ratio moves with other load on the machine).
  const cpuRatio = bare.serverCpuMsPerRequest / tanggap.http.serverCpuMsPerRequest
  const busiest = Math.max(bare.otherCores, tanggap.http.otherCores)
  const row = (name: string, f: HttpFigures) => [
    name,
    fmt(f.requestsPerSecond),
    fmt(f.latencyMs.p50),
    fmt(f.latencyMs.p99),
    fmt(f.ok2xx),
    fmt(f.non2xx + f.errors + f.timeouts),
    fmt(f.serverCpuMsPerRequest, 3),
    fmt(f.serverCores, 2),
    fmt(f.loadGeneratorCores, 2),
    fmt(f.otherCores, 2),
  ]
  const e = tanggap.endToEnd
  const out = [
    '',
    `Ingest benchmark — POST ${PATH}, ${CONNECTIONS} connections, ${SECONDS} s (after ${WARMUP_SECONDS} s warm-up)`,
    `${m.cpus} × ${m.cpuModel}, Node ${m.node}`,
    '',
    table([
      ['server', 'req/s', 'p50 ms', 'p99 ms', '2xx', 'non-2xx/err', 'CPU ms/req', 'server cores', 'autocannon cores', 'other cores'],
      row('bare Fastify + better-sqlite3', bare),
      row('Tanggap embedded', tanggap.http),
    ]),
    '',
    `Tanggap / bare: ${(ratio * 100).toFixed(1)} % of the requests per second  (target ≥ ${TARGET_RATIO * 100} %: ${met ? 'MET' : 'NOT MET'})`,
    `Server CPU per accepted question: Tanggap ${(1 / cpuRatio).toFixed(1)} × bare (${(cpuRatio * 100).toFixed(1)} % of bare's rate at equal CPU)`,
    ...(busiest > 0.25
      ? [`WARNING: other processes used up to ${busiest.toFixed(2)} cores during the runs; the req/s figures are skewed, run again on a quiet machine.`]
      : []),
    `End to end: ${fmt(e.items)} items in ${e.seconds.toFixed(2)} s from the first request to the last item = ${fmt(e.itemsPerSecond)} items/s` +
      `  (backlog when the load stopped: ${fmt(e.backlogAtEndOfLoad)} deliveries, drained ${e.drainSeconds.toFixed(2)} s later; failed: ${e.failedDeliveries})`,
    '',
  ].join('\n')
  process.stdout.write(out)

  const resultsDir = join(BENCH_DIR, 'results')
  mkdirSync(resultsDir, { recursive: true })
  const json = {
    date: new Date().toISOString(),
    machine: m,
    revision: revision(),
    settings: { path: PATH, connections: CONNECTIONS, seconds: SECONDS, warmupSeconds: WARMUP_SECONDS, targetRatio: TARGET_RATIO },
    bare,
    tanggap: { ...tanggap.http, endToEnd: e, rssMb: Math.round(tanggap.rssMb) },
    ratio,
    targetMet: met,
    cpuPerQuestionRatio: cpuRatio,
  }
  writeFileSync(join(resultsDir, 'latest.json'), `${JSON.stringify(json, null, 2)}\n`)
  log(`figures written to ${join('bench', 'results', 'latest.json')}`)
}

try {
  await main()
} catch (err) {
  console.error(err)
  process.exitCode = 1
} finally {
  await cleanup()
}
