// Running a fuzz: requests generated in seeded chunks and sent a few at a time (through app.inject,
// over HTTP, or as raw websocket upgrades), every answer tallied, 5xx kept with the request that
// caused it and the server's logged stack; plus the process's memory and the database file's size.
// Shared by test/integration/fuzz.test.ts and bench/fuzz.bench.ts.
import fc from 'fast-check'
import type { FastifyInstance } from 'fastify'
import { request as httpRequest, Agent } from 'node:http'
import { connect } from 'node:net'
import { statSync } from 'node:fs'
import { Writable } from 'node:stream'
import pino, { type Logger } from 'pino'
import { CODE_PLACEHOLDER, headersToSend, HOST_PLACEHOLDER, SESSION_PLACEHOLDER, type FuzzRequest, type WsUpgrade } from './fuzz-requests.ts'

export interface Answer {
  /** 0 when the connection closed without an answer; -1 when the request cannot be sent over HTTP at all. */
  status: number
  body: string
  requestId?: string
  trackingCode?: string
}

export type Send = (req: FuzzRequest, url: string, headers: Record<string, string | string[]>) => Promise<Answer>

const answerOf = (status: number, body: string): Answer => {
  let requestId: string | undefined
  let trackingCode: string | undefined
  try {
    const json = JSON.parse(body) as { error?: { requestId?: string }; trackingCode?: string }
    requestId = json.error?.requestId
    trackingCode = json.trackingCode
  } catch {
    // Not JSON (a status page, a challenge echoed back).
  }
  return { status, body: body.slice(0, 300), requestId, trackingCode }
}

/** Through Fastify's inject: no sockets, the fastest way in; the client address set per request. */
export const injectSender =
  (app: FastifyInstance): Send =>
  async (req, url, headers) => {
    const res = await app.inject({ method: req.method as 'GET', url, headers, payload: req.body, remoteAddress: req.ip })
    return answerOf(res.statusCode, res.body)
  }

/** Over HTTP to a listening server (the bench): the client address goes in X-Forwarded-For (the server trusts its proxy). */
export function httpSender(port: number): { send: Send; close(): void } {
  const agent = new Agent({ keepAlive: true, maxSockets: 64 })
  const once = (req: FuzzRequest, url: string, headers: Record<string, string | string[]>, fresh: boolean) =>
    new Promise<Answer & { retry?: boolean }>((resolve) => {
      const r = httpRequest(
        {
          host: '127.0.0.1',
          port,
          method: req.method,
          path: url,
          agent: fresh ? false : agent,
          headers: { 'x-forwarded-for': req.ip, ...headers, ...(req.body ? { 'content-length': String(req.body.length) } : {}) },
        },
        (res) => {
          const chunks: Buffer[] = []
          let size = 0
          res.on('data', (c: Buffer) => {
            if (size < 4096) chunks.push(c)
            size += c.length
          })
          res.on('end', () => resolve(answerOf(res.statusCode ?? 0, Buffer.concat(chunks).toString('utf8'))))
          res.on('error', () => resolve({ status: 0, body: 'response aborted' }))
        },
      )
      r.on('error', (err: NodeJS.ErrnoException) => {
        // A kept-alive socket the server closed meanwhile (its idle timeout, or after a refusal): the
        // request never reached it; Node's documentation says to send it again on a new connection.
        if (r.reusedSocket && !fresh) return resolve({ status: 0, body: err.message, retry: true })
        // A body over the limit is refused before it is read: the server may close while it is still being written.
        if (req.target === 'oversized' && (err.code === 'EPIPE' || err.code === 'ECONNRESET'))
          return resolve({ status: -2, body: `closed while sending a body over the limit (${err.code})` })
        resolve({ status: 0, body: `connection error: ${err.message}` })
      })
      r.end(req.body)
    })
  const send: Send = async (req, url, headers) => {
    // Node's client refuses what no HTTP parser would accept; such a request never reaches the server.
    if (/[^\x21-\xff]/.test(url)) return { status: -1, body: 'not sendable over HTTP' }
    const first = await once(req, url, headers, false)
    return first.retry ? once(req, url, headers, true) : first
  }
  return { send, close: () => agent.destroy() }
}

/** Sends a websocket upgrade on a raw socket (so any header can be sent) and reads the status line; a 101 is closed at once. */
export function sendUpgrade(port: number, up: WsUpgrade, session: string): Promise<Answer> {
  const host = `127.0.0.1:${port}`
  const head = `${up.lines.map((l) => l.split(HOST_PLACEHOLDER).join(host).split(SESSION_PLACEHOLDER).join(session)).join('\r\n')}\r\n\r\n`
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1')
    let got = ''
    let done = false
    const finish = (a: Answer) => {
      if (done) return
      done = true
      socket.destroy()
      resolve(a)
    }
    socket.on('connect', () => socket.write(Buffer.from(head, 'latin1')))
    socket.on('data', (b: Buffer) => {
      got += b.toString('latin1')
      const end = got.indexOf('\r\n\r\n')
      if (end < 0) return
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(got)?.[1] ?? 0)
      // A refusal's JSON body may follow the head: wait for it briefly, so its requestId can be read.
      const bodyStart = end + 4
      const length = Number(/\r\ncontent-length: *(\d+)/i.exec(got.slice(0, end))?.[1] ?? 0)
      if (status !== 101 && !up.lines[0]!.startsWith('HEAD ') && got.length - bodyStart < length) return
      finish(answerOf(status, got.slice(bodyStart, bodyStart + length)))
    })
    socket.on('error', () => finish({ status: 0, body: got.slice(0, 300) || 'socket error' }))
    socket.on('close', () => finish({ status: 0, body: got.slice(0, 300) || 'closed without an answer' }))
  })
}

// ---- describing requests readably ----

const preview = (b: Buffer | undefined) => {
  if (!b) return '(no body)'
  const head = b.subarray(0, 240).toString('utf8')
  return `${b.length} bytes: ${JSON.stringify(head)}${b.length > 240 ? '…' : ''}`
}

export function describeRequest(req: FuzzRequest | WsUpgrade, url?: string): string {
  if (req.target === 'ws') return (req as WsUpgrade).lines.map((l) => JSON.stringify(l.length > 200 ? `${l.slice(0, 200)}…` : l)).join('\n    ')
  const r = req as FuzzRequest
  const headers = Object.entries(r.headers).map(([k, v]) => `${k}: ${JSON.stringify(v).slice(0, 200)}`)
  if (r.sign) headers.push(`(signed ${r.sign.scheme} with the demo secret${r.sign.skewSeconds ? `, time off by ${r.sign.skewSeconds} s` : ''})`)
  return [`${r.method} ${(url ?? r.url).slice(0, 300)}`, ...headers, preview(r.body)].join('\n    ')
}

// ---- the server's log ----

export interface LogEntry {
  level: number
  msg: string
  reqId?: string
  job?: string
  err?: { type?: string; message?: string; stack?: string }
  line: string
}

export interface LogCapture {
  logger: Logger
  /** Lines at error level (bounded: the first ones). */
  errors: LogEntry[]
  /** How often each message was logged at warn or above. */
  counts: Map<string, number>
}

/** A pino logger at warn level that keeps counts and the first error lines in memory (bounded, so the fuzz cannot grow it). */
export function captureLog(keep = 200): LogCapture {
  const errors: LogEntry[] = []
  const counts = new Map<string, number>()
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (!line) continue
        let entry: LogEntry
        try {
          entry = { ...(JSON.parse(line) as Omit<LogEntry, 'line'>), line: line.slice(0, 4000) }
        } catch {
          continue
        }
        counts.set(`${entry.level >= 50 ? 'error' : 'warn'}: ${entry.msg}`, (counts.get(`${entry.level >= 50 ? 'error' : 'warn'}: ${entry.msg}`) ?? 0) + 1)
        if (entry.level >= 50 && errors.length < keep) errors.push(entry)
      }
      done()
    },
  })
  return { logger: pino({ level: 'warn' }, stream), errors, counts }
}

// ---- running ----

export interface Finding {
  target: string
  status: number
  request: string
  answer: string
  stack?: string
}

export interface Tally {
  sent: number
  /** target → status → count */
  byTarget: Map<string, Map<number, number>>
  /** Every 5xx (and answers that never came), first ones in full. */
  failures: Finding[]
  failureCount: number
  /** Tracking codes answered 201 for questions that are not honeypot decoys. */
  issued: { code: string; request: string }[]
}

export const newTally = (): Tally => ({ sent: 0, byTarget: new Map(), failures: [], failureCount: 0, issued: [] })

function count(t: Tally, target: string, status: number) {
  const m = t.byTarget.get(target) ?? new Map<number, number>()
  m.set(status, (m.get(status) ?? 0) + 1)
  t.byTarget.set(target, m)
  t.sent++
}

/** A failing answer: a 5xx, or no answer at all from a server that should always answer. */
const failed = (a: Answer) => a.status >= 500 || a.status === 0

function record(t: Tally, log: LogCapture | undefined, req: FuzzRequest | WsUpgrade, url: string | undefined, a: Answer, keep: number) {
  count(t, req.target, a.status)
  if (!failed(a)) return
  t.failureCount++
  if (t.failures.length >= keep) return
  const logged = log?.errors.find((e) => a.requestId !== undefined && e.reqId === a.requestId)
  t.failures.push({ target: req.target, status: a.status, request: describeRequest(req, url), answer: a.body, stack: logged?.err?.stack ?? logged?.line })
}

export interface RunOptions {
  total: number
  seed: number
  /** Requests generated per chunk (chunk k uses seed + k). */
  chunk?: number
  /** Requests in flight at once. */
  concurrency?: number
  /** Keep this many failures in full. */
  keep?: number
  log?: LogCapture
  clock?: () => number
}

/** Generates `total` requests from `arb` in seeded chunks and sends them, `concurrency` at a time. */
export async function runHttpFuzz(arb: fc.Arbitrary<FuzzRequest>, send: Send, tally: Tally, opts: RunOptions): Promise<void> {
  const chunk = opts.chunk ?? 200
  const clock = opts.clock ?? Date.now
  let codeTurn = 0
  const fill = (url: string) => {
    if (!url.includes(CODE_PLACEHOLDER)) return url
    const issued = tally.issued
    const code = issued.length ? issued[(codeTurn++ * 7919) % issued.length]!.code : 'ZZZZ-ZZZZ'
    return url.split(CODE_PLACEHOLDER).join(codeTurn % 3 === 0 ? code.toLowerCase().replace('-', '') : code)
  }
  for (let k = 0; k * chunk < opts.total; k++) {
    const batch = fc.sample(arb, { seed: opts.seed + k, numRuns: Math.min(chunk, opts.total - k * chunk) })
    let next = 0
    const lane = async () => {
      for (let i = next++; i < batch.length; i = next++) {
        const req = batch[i]!
        batch[i] = undefined as never
        const url = fill(req.url)
        const a = await send(req, url, headersToSend(req, clock()))
        record(tally, opts.log, req, url, a, opts.keep ?? 20)
        if (req.target === 'form' && a.status === 201 && a.trackingCode && !req.honeypot)
          tally.issued.push({ code: a.trackingCode, request: describeRequest(req) })
      }
    }
    await Promise.all(Array.from({ length: opts.concurrency ?? 16 }, lane))
  }
}

/** Generates `total` websocket upgrades and sends them on raw sockets, `concurrency` at a time. */
export async function runWsFuzz(
  arb: fc.Arbitrary<WsUpgrade>,
  port: number,
  session: string,
  tally: Tally,
  opts: RunOptions & { onUpgraded?: (up: WsUpgrade) => void },
): Promise<void> {
  const batch = fc.sample(arb, { seed: opts.seed, numRuns: opts.total })
  let next = 0
  const lane = async () => {
    for (let i = next++; i < batch.length; i = next++) {
      const up = batch[i]!
      const a = await sendUpgrade(port, up, session)
      record(tally, opts.log, up, undefined, a, opts.keep ?? 20)
      if (a.status === 101) opts.onUpgraded?.(up)
    }
  }
  await Promise.all(Array.from({ length: opts.concurrency ?? 8 }, lane))
}

export function formatTally(t: Tally): string {
  const rows = [...t.byTarget.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([target, m]) => {
      const statuses = [...m.entries()]
        .sort(([a], [b]) => a - b)
        .map(([s, n]) => `${s}×${n}`)
        .join(' ')
      return `  ${target.padEnd(20)} ${statuses}`
    })
  return [`${t.sent} requests, ${t.failureCount} failing (5xx or no answer), ${t.issued.length} questions accepted (201)`, ...rows].join('\n')
}

export function formatFailures(t: Tally): string {
  return t.failures
    .map(
      (f, i) =>
        `#${i + 1} ${f.target} → ${f.status} ${JSON.stringify(f.answer).slice(0, 200)}\n    ${f.request}${f.stack ? `\n    server: ${f.stack.split('\n').slice(0, 8).join('\n      ')}` : ''}`,
    )
    .join('\n\n')
}

// ---- memory and disk ----

export interface MemoryFigures {
  beforeMb: number
  peakMb: number
  afterMb: number
  samples: number
}

/** Samples the RSS every 100 ms (of this process, or of another through `read`) until stopped. */
export function watchRss(read: () => number = () => process.memoryUsage().rss): { stop(): MemoryFigures } {
  const before = read()
  let peak = before
  let samples = 1
  const timer = setInterval(() => {
    peak = Math.max(peak, read())
    samples++
  }, 100)
  return {
    stop() {
      clearInterval(timer)
      const after = read()
      peak = Math.max(peak, after)
      const mb = (n: number) => Math.round(n / 1024 / 1024)
      return { beforeMb: mb(before), peakMb: mb(peak), afterMb: mb(after), samples }
    },
  }
}

/** The database's size on disk: the file and its write-ahead log. */
export function dbBytes(file: string): number {
  const size = (f: string) => {
    try {
      return statSync(f).size
    } catch {
      return 0
    }
  }
  return size(file) + size(`${file}-wal`)
}
