// What the benchmarks share: child processes that are always stopped (with their temporary folders
// and other leftovers removed, also on an error or Ctrl-C), CPU accounting per process and for the
// whole machine, autocannon figures, and the report helpers. Used by bench/ingest.bench.ts and
// bench/meta.bench.ts.
import type { Result } from 'autocannon'
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { rmSync, readFileSync } from 'node:fs'
import { cpus } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const BENCH_DIR = join(dirname(fileURLToPath(import.meta.url)), '..')
export const ROOT = join(BENCH_DIR, '..')
/** BENCH_CPU_PROF=1: every child writes V8 CPU profiles to bench/results/profiles/<name>-<time>/. */
export const CPU_PROF = process.env.BENCH_CPU_PROF === '1'

export function positiveNumber(name: string, fallback: number): number {
  const raw = process.env[name]
  if (raw === undefined || raw === '') return fallback
  const n = Number(raw)
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number, got "${raw}"`)
  return n
}

export function log(msg: string): void {
  process.stderr.write(`· ${msg}\n`)
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))

// ---- child processes, and everything to clean up ----

export interface Child {
  name: string
  proc: ChildProcess
  pid: number
  /** The ready line's match (for servers: `PORT <n>`, so port is match[1]). */
  match: RegExpExecArray
  port: number
  stderr(): string
  stdout(): string
}

export interface StartOptions {
  name: string
  /** The TypeScript entry point, run as `node --import tsx <script>`. */
  script: string
  /** Added to this process's environment. */
  env: Record<string, string>
  /** The stdout line that says the child is ready. Default: `PORT <n>`. */
  ready?: RegExp
  startTimeoutMs?: number
  /** Called with every complete stdout line (e.g. to count the child's log lines by level). */
  onLine?: (line: string) => void
  /** More node options, after `--import tsx` (e.g. another `--import`). */
  nodeArgs?: string[]
}

const children = new Set<ChildProcess>()
const stopping = new Set<ChildProcess>()
const tempDirs = new Set<string>()
const asyncCleanups = new Set<() => Promise<void>>()

const tail = (s: string) => s.slice(-8000)

export function startChild(opts: StartOptions): Promise<Child> {
  const { name } = opts
  const ready = opts.ready ?? /^PORT (\d+)$/m
  const args = ['--import', 'tsx', ...(opts.nodeArgs ?? [])]
  if (CPU_PROF) args.push('--cpu-prof', `--cpu-prof-dir=${join(BENCH_DIR, 'results', 'profiles', `${name}-${Date.now()}`)}`)
  args.push(opts.script)
  const proc = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] })
  children.add(proc)
  let err = ''
  let out = ''
  proc.stderr!.on('data', (b: Buffer) => void (err = tail(err + b.toString())))
  proc.on('exit', (code, signal) => {
    children.delete(proc)
    if (!stopping.has(proc)) console.error(`${name} exited unexpectedly (${signal ?? code})\n${err}${out}`)
  })
  return new Promise((resolve, reject) => {
    const timeoutMs = opts.startTimeoutMs ?? 120_000
    const timer = setTimeout(() => reject(new Error(`${name} did not start within ${timeoutMs / 1000} s\n${err}${out}`)), timeoutMs)
    let started = false
    let partial = ''
    proc.stdout!.on('data', (b: Buffer) => {
      const text = b.toString()
      out = tail(out + text)
      if (opts.onLine) {
        const lines = (partial + text).split('\n')
        partial = lines.pop()!
        for (const line of lines) opts.onLine(line)
      }
      if (started) return
      const m = ready.exec(out)
      if (!m) return
      started = true
      clearTimeout(timer)
      resolve({ name, proc, pid: proc.pid!, match: m, port: Number(m[1] ?? 0), stderr: () => err, stdout: () => out })
    })
    proc.once('exit', (code, signal) => {
      clearTimeout(timer)
      if (!started) reject(new Error(`${name} exited (${signal ?? code}) before it was ready\n${err}${out}`))
    })
  })
}

/** SIGTERM (the child closes gracefully and writes its CPU profile), SIGKILL after 10 s. */
export async function stopChild(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()))
  stopping.add(proc)
  proc.kill('SIGTERM')
  const timer = setTimeout(() => proc.kill('SIGKILL'), 10_000)
  await exited
  clearTimeout(timer)
}

/** Removed at the end, on an error and on Ctrl-C. */
export function trackTempDir(dir: string): void {
  tempDirs.add(dir)
}

/**
 * Runs at the end, on an error and on Ctrl-C (after the children are stopped), the last registered
 * first: what was set up later may depend on what was set up earlier (keys deleted before the Redis
 * connection that deletes them is closed). Returns a function that runs it now, once.
 */
export function onCleanup(fn: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | undefined
  const once = () => {
    asyncCleanups.delete(once)
    return (done ??= fn())
  }
  asyncCleanups.add(once)
  return once
}

function removeTempDirs(): void {
  for (const d of tempDirs) rmSync(d, { recursive: true, force: true })
  tempDirs.clear()
}

function killChildrenNow(): void {
  for (const p of children) {
    stopping.add(p)
    if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL')
  }
}

let cleaning: Promise<void> | undefined
/** One pass over the cleanups, one after the other; a second caller (Ctrl-C during the final cleanup) waits for the same pass. */
function runCleanups(): Promise<void> {
  cleaning ??= (async () => {
    for (const fn of [...asyncCleanups].reverse()) {
      try {
        await fn()
      } catch (err) {
        console.error('cleanup failed:', err)
      }
    }
  })()
  return cleaning
}

/** Stops every child gracefully, then runs the cleanups and removes the temporary folders. */
export async function cleanup(): Promise<void> {
  await Promise.all([...children].map(stopChild))
  await runCleanups()
  removeTempDirs()
}

let installed = false
/** Kills children and removes temporary folders however the bench ends. */
export function installCleanupHandlers(): void {
  if (installed) return
  installed = true
  process.on('exit', () => {
    killChildrenNow()
    removeTempDirs()
  })
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.on(sig, () => {
      console.error(`\n${sig}: stopping servers`)
      killChildrenNow()
      void Promise.race([runCleanups(), sleep(10_000)]).finally(() => {
        removeTempDirs()
        process.exit(130)
      })
    })
  }
}

// ---- CPU ----

/** CPU time in microseconds, as process.cpuUsage() gives it. */
export interface Cpu {
  user: number
  system: number
}
export const cpuMs = (a: Cpu, b: Cpu) => (b.user - a.user + b.system - a.system) / 1000
export const addCpu = (...xs: Cpu[]): Cpu => xs.reduce((s, c) => ({ user: s.user + c.user, system: s.system + c.system }), { user: 0, system: 0 })

let clockTicks: number | undefined
const ticksPerSecond = () => {
  if (clockTicks === undefined) {
    try {
      clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100
    } catch {
      clockTicks = 100
    }
  }
  return clockTicks
}

/** Another process's CPU time so far, from /proc/<pid>/stat (10 ms resolution). */
export function processCpu(pid: number): Cpu {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
  const us = 1e6 / ticksPerSecond()
  return { user: Number(fields[11]) * us, system: Number(fields[12]) * us }
}

/** CPU time all processes on the machine have used, in milliseconds. */
export const machineBusyMs = () => cpus().reduce((n, c) => n + c.times.user + c.times.nice + c.times.sys + c.times.irq, 0)

/** The 1, 5 and 15 minute load averages. */
export function loadAverage(): [number, number, number] {
  const [a, b, c] = safeRead('/proc/loadavg').split(' ').map(Number)
  return [a ?? NaN, b ?? NaN, c ?? NaN]
}

export interface Sample {
  at: number
  server: Cpu
  bench: Cpu
  machine: number
  extra: Cpu
}

/** `server`: the measured server processes' CPU; `extra`: other known helpers (e.g. redis-server), counted apart. */
export async function sample(server: () => Cpu | Promise<Cpu>, extra: () => Cpu | Promise<Cpu> = () => ({ user: 0, system: 0 })): Promise<Sample> {
  return { at: Date.now(), server: await server(), extra: await extra(), bench: process.cpuUsage(), machine: machineBusyMs() }
}

export interface CpuFigures {
  wallMs: number
  /** Server process CPU time, in milliseconds. */
  serverMs: number
  /** CPU time of the helpers counted apart (redis-server), in milliseconds. */
  extraMs: number
  /** Load generator (this process) CPU use, in cores. */
  loadGeneratorCores: number
  /** CPU used by everything else on the machine during the run, in cores: other people's work skews the figures. */
  otherCores: number
}

export function cpuBetween(a: Sample, b: Sample): CpuFigures {
  const wallMs = b.at - a.at
  const serverMs = cpuMs(a.server, b.server)
  const extraMs = cpuMs(a.extra, b.extra)
  const benchMs = cpuMs(a.bench, b.bench)
  return {
    wallMs,
    serverMs,
    extraMs,
    loadGeneratorCores: benchMs / wallMs,
    otherCores: Math.max(0, (b.machine - a.machine - serverMs - extraMs - benchMs) / wallMs),
  }
}

// ---- autocannon figures ----

export interface HttpFigures {
  requestsPerSecond: number
  latencyMs: { p50: number; p99: number; average: number; max: number }
  completed: number
  ok2xx: number
  non2xx: number
  errors: number
  timeouts: number
  statusCodes: Record<string, number>
  durationSeconds: number
  /** Server process CPU time per accepted request, in milliseconds. */
  serverCpuMsPerRequest: number
  /** Server process CPU use over the run, in cores (1.0 = one core busy all the time). */
  serverCores: number
  loadGeneratorCores: number
  /** CPU other processes on the machine used meanwhile, in cores. */
  otherCores: number
}

export function figures(r: Result, cpu: CpuFigures): HttpFigures {
  const statusCodes = Object.fromEntries(Object.entries(r.statusCodeStats).map(([code, s]): [string, number] => [code, s.count]))
  return {
    requestsPerSecond: r.requests.average,
    latencyMs: { p50: r.latency.p50, p99: r.latency.p99, average: r.latency.average, max: r.latency.max },
    completed: r.latency.totalCount ?? r['2xx'] + r.non2xx,
    ok2xx: r['2xx'],
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
    statusCodes,
    durationSeconds: r.duration,
    serverCpuMsPerRequest: r['2xx'] ? cpu.serverMs / r['2xx'] : 0,
    serverCores: cpu.serverMs / 1000 / r.duration,
    loadGeneratorCores: cpu.loadGeneratorCores,
    otherCores: cpu.otherCores,
  }
}

// ---- report ----

export function safeRead(file: string): string {
  try {
    return readFileSync(file, 'utf8')
  } catch {
    return ''
  }
}

export function machine() {
  const model = /^model name\s*:\s*(.+)$/m.exec(safeRead('/proc/cpuinfo'))?.[1] ?? cpus()[0]?.model ?? 'unknown'
  return { cpus: cpus().length, cpuModel: model.trim(), node: process.version, platform: `${process.platform} ${process.arch}` }
}

/** The commit measured, and whether server, db or shared had uncommitted changes. */
export function revision(): { commit: string; dirty: boolean } | null {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim()
    const dirty =
      execFileSync('git', ['status', '--porcelain', '--untracked-files=no', '--', 'server', 'db', 'shared'], { cwd: ROOT, encoding: 'utf8' }).trim() !== ''
    return { commit, dirty }
  } catch {
    return null
  }
}

export const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })

export function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)))
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')
  return [line(rows[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n')
}
