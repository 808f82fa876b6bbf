// Redis mode with a Redis that dies under load: the test runs its own redis-server, kills it
// (SIGKILL) while citizens post questions and staff sign in, and starts it again on the same port.
// The form and sign-in keep answering meanwhile (limits counted in the process), a staff reply is
// stored and sent once the queue is back, and every question accepted becomes an item.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import { Redis } from 'ioredis'
import pino from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_PASSWORD } from '@tanggap/db/seed'
import { buildApp } from '../../server/src/app.ts'
import { openRuntime, type Runtime } from '../../server/src/runtime.ts'
import { eventually, signIn, testConfig } from '../helpers/app.ts'

const dir = mkdtempSync(join(tmpdir(), 'tanggap-redis-outage-'))
const QUESTIONS_PER_MINUTE = 20
let port: number
let redisServer: ChildProcess | undefined
let runtime: Runtime | undefined
let app: FastifyInstance | undefined
const logs: { level: number; msg: string; what?: string }[] = []
/** The request streams, and how they are told to stop. */
let streams: Promise<void>[] = []
let stop = false

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number }
      srv.close(() => resolve(port))
    })
    srv.on('error', reject)
  })
}

/**
 * Starts redis-server on the test's port and waits until it answers. It runs under a shell that
 * kills it (SIGKILL) when the shell's stdin closes: when killRedis() closes it, and when this
 * process dies, however it dies.
 */
async function startRedis(): Promise<void> {
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no']
  redisServer = spawn('sh', ['-c', 'redis-server "$@" & pid=$!; read _; kill -9 $pid; wait $pid', 'redis', ...args], { stdio: ['pipe', 'ignore', 'ignore'] })
  await eventually(
    async () => {
      const probe = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null })
      probe.on('error', () => {})
      try {
        await probe.connect()
        return (await probe.ping()) === 'PONG'
      } catch {
        return false
      } finally {
        probe.disconnect()
      }
    },
    10_000,
    'redis-server answering',
  )
}

/** Kills redis-server (SIGKILL) and waits until it is gone. */
function killRedis(): Promise<void> {
  const shell = redisServer
  redisServer = undefined
  if (!shell || shell.exitCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    shell.once('exit', () => resolve())
    shell.stdin!.end()
  })
}

const logged = (msg: string, what: string) => logs.filter((l) => l.msg === msg && l.what === what).length

beforeAll(async () => {
  port = await freePort()
  await startRedis()
  const config = testConfig({
    REDIS_URL: `redis://127.0.0.1:${port}`,
    REDIS_PREFIX: 'outage',
    DATA_DIR: dir,
    DATABASE_FILE: join(dir, 'tanggap.db'),
    RATE_LIMIT_QUESTIONS_PER_MINUTE: String(QUESTIONS_PER_MINUTE),
    LOG_LEVEL: 'info',
  })
  const sink = new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split('\n')) if (line) logs.push(JSON.parse(line))
      done()
    },
  })
  const logger = pino({ level: 'info' }, sink)
  runtime = await openRuntime(config, logger, 'web')
  app = await buildApp({ config, logger, ...runtime, runWorkers: true })
  await app.ready()
})

afterAll(async () => {
  // The app closes with Redis up (after a failure midway too), then Redis goes.
  stop = true
  await Promise.allSettled(streams)
  if (!redisServer) await startRedis()
  await app?.close()
  await runtime?.close()
  await killRedis()
  rmSync(dir, { recursive: true, force: true })
})

type Kind = 'question' | 'login' | 'wrong-login'
interface Answer {
  kind: Kind
  phase: Phase
  status: number
  trackingCode?: string
}
type Phase = 'up' | 'down' | 'back'

describe('a Redis outage in redis mode', () => {
  it('keeps the form and sign-in answering while Redis is down, and loses no accepted question', async () => {
    const a = app!
    const answers: Answer[] = []
    let phase: Phase = 'up'
    const rounds = { question: 0, login: 0 }
    // The form and sign-in need nothing from Redis: they answer as usual throughout (no 500, and
    // no 503 either). The first other answer ends the run.
    const expected: Record<Kind, number> = { question: 201, login: 200, 'wrong-login': 401 }
    let broken: (Answer & { body: string }) | undefined
    const record = (kind: Kind, started: Phase) => (res: LightMyRequestResponse) => {
      const answer: Answer = { kind, phase: started, status: res.statusCode, trackingCode: res.statusCode === 201 ? res.json().trackingCode : undefined }
      answers.push(answer)
      if (res.statusCode !== expected[kind]) {
        broken ??= { ...answer, body: res.body }
        stop = true
      }
    }
    const until = (cond: () => boolean, what: string, timeoutMs: number) =>
      eventually(
        () => {
          if (broken) throw new Error(`${broken.kind} answered ${broken.status} (Redis ${broken.phase}): ${broken.body}`)
          return cond()
        },
        timeoutMs,
        what,
      )
    // Citizens from many addresses (each well under its limit)…
    const questions = (async () => {
      while (!stop) {
        // A turn of the event loop per round, so fast answers cannot starve timers.
        await new Promise((r) => setImmediate(r))
        const i = rounds.question++
        const started = phase
        const remoteAddress = `10.0.${i % 250}.${1 + (i % 3)}`
        await Promise.all([
          a
            .inject({
              method: 'POST',
              url: '/api/public/questions',
              remoteAddress,
              payload: { name: `Warga ${i}`, text: `Lampu jalan mati di RT ${i}, mohon diperbaiki`, topic: 'jalan' },
            })
            .then(record('question', started)),
          a
            .inject({
              method: 'POST',
              url: '/api/public/questions',
              remoteAddress,
              payload: { name: `Warga ${i}b`, text: `KTP-el saya belum jadi, nomor antrean ${i}`, topic: 'adminduk' },
            })
            .then(record('question', started)),
        ])
      }
    })()
    // …a staff member signing in, and someone mistyping a name that does not exist (each name
    // once, so no account gets locked). Slower: argon2 takes its time on purpose.
    const logins = (async () => {
      while (!stop) {
        const i = rounds.login++
        const started = phase
        const remoteAddress = `10.1.${i % 250}.1`
        await Promise.all([
          a
            .inject({ method: 'POST', url: '/api/auth/login', remoteAddress, payload: { username: 'dukcapil', password: DEMO_PASSWORD } })
            .then(record('login', started)),
          a
            .inject({ method: 'POST', url: '/api/auth/login', remoteAddress, payload: { username: `tamu-${i}`, password: 'salah-ketik' } })
            .then(record('wrong-login', started)),
        ])
      }
    })()
    streams = [questions, logins]
    const answered = (p: Phase, kind: Kind, status: number) => answers.filter((x) => x.phase === p && x.kind === kind && x.status === status).length

    await until(() => answered('up', 'question', 201) >= 6 && answered('up', 'login', 200) >= 1, 'questions and sign-ins with Redis up', 60_000)
    const admin = await signIn(a, 'dukcapil')
    const item = await eventually(
      async () => (await a.inject({ url: '/api/items', headers: admin.headers })).json().items[0] as { id: number } | undefined,
      20_000,
    )
    const answer = (text: string) => a.inject({ method: 'POST', url: `/api/items/${item.id}/replies`, headers: admin.headers, payload: { text } })
    expect((await answer('Terima kasih, laporan kami terima.')).statusCode).toBe(201)
    await killRedis()
    phase = 'down'
    await until(
      () => answered('down', 'question', 201) >= 20 && answered('down', 'login', 200) >= 2 && answered('down', 'wrong-login', 401) >= 2,
      'questions accepted and sign-ins answered while Redis is down',
      120_000,
    )

    // The limit per address still holds while counted in the process.
    const burst: number[] = []
    for (let i = 0; i <= QUESTIONS_PER_MINUTE; i++) {
      const res = await a.inject({
        method: 'POST',
        url: '/api/public/questions',
        remoteAddress: '10.9.9.9',
        payload: { name: 'Pengirim Cepat', text: `Pertanyaan ke-${i} soal pajak kendaraan`, topic: 'pajak' },
      })
      if (res.statusCode === 201) answers.push({ kind: 'question', phase: 'down', status: 201, trackingCode: res.json().trackingCode })
      burst.push(res.statusCode)
    }
    expect(burst.slice(0, QUESTIONS_PER_MINUTE).every((s) => s === 201)).toBe(true)
    expect(burst.at(-1)).toBe(429)

    // A staff reply is stored at once (a retry would send it twice) and sent once the queue is back.
    const reply = await answer('Sedang kami cek, mohon ditunggu.')
    expect(reply.statusCode).toBe(201)
    const replyId = reply.json().id as number

    await startRedis()
    phase = 'back'
    await until(
      () =>
        logged('redis reachable again: counting in redis', 'rate limit') === 1 && logged('redis reachable again: counting in redis', 'sign-in throttle') === 1,
      'counters back on Redis',
      60_000,
    )
    await until(() => answered('back', 'question', 201) >= 6 && answered('back', 'login', 200) >= 1, 'questions and sign-ins after Redis is back', 60_000)
    stop = true
    await Promise.all(streams)

    expect(broken).toBeUndefined()
    // One warning per outage, not one per request.
    expect(logged('redis unreachable: counting in this process until it answers', 'rate limit')).toBe(1)
    expect(logged('redis unreachable: counting in this process until it answers', 'sign-in throttle')).toBe(1)

    // Every question answered 201 becomes an item.
    const codes = answers.flatMap((x) => (x.trackingCode ? [x.trackingCode] : []))
    expect(codes.length).toBeGreaterThan(40)
    const routed = runtime!.db.$client.prepare('SELECT count(*) AS n FROM items WHERE tracking_code = ?')
    await eventually(() => codes.every((c) => (routed.get(c) as { n: number }).n === 1), 90_000, 'an item for every accepted question')
    // …and the citizen sees it routed on the status page.
    const duringOutage = answers.filter((x) => x.phase === 'down' && x.trackingCode).slice(0, 5)
    for (const [i, x] of duringOutage.entries()) {
      const res = await a.inject({ url: `/api/public/questions/${x.trackingCode}`, remoteAddress: `10.8.0.${i + 1}` })
      expect(res.statusCode).toBe(200)
      expect(res.json()).toMatchObject({ trackingCode: x.trackingCode, status: 'open', opdName: expect.any(String) })
    }
    // The reply written during the outage is sent, once.
    const sentReply = await eventually(
      async () => {
        const r = (await a.inject({ url: `/api/items/${item.id}`, headers: admin.headers })).json().replies as { id: number; state: string }[]
        return r.find((x) => x.id === replyId && x.state === 'sent')
      },
      90_000,
      'the reply written during the outage sent',
    )
    expect(sentReply).toBeDefined()
  }, 240_000)
})
