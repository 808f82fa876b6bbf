// Redis mode end to end: the web process only enqueues, a separate `npm run worker` process runs
// the jobs on BullMQ against the real Redis, and its events reach the web process's websockets
// through Redis pub/sub.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { openTestDb } from '@tanggap/db'
import type { ServerFrame } from '@tanggap/shared'
import { REDIS_URL, requireRedis, runPrefix } from '../helpers/redis.ts'
import { askQuestion, createTestApp, eventually, signIn, type TestApp } from '../helpers/app.ts'

const prefix = runPrefix()
const file = openTestDb()
let t: TestApp
let worker: ChildProcess
let workerLog = ''

requireRedis('redis mode', prefix)

beforeAll(async () => {
  t = await createTestApp({ db: file, runWorkers: false, redis: { url: REDIS_URL, prefix } })
  worker = spawn(process.execPath, ['--import', 'tsx', 'server/src/worker.ts'], {
    env: {
      ...process.env,
      NODE_ENV: 'test',
      REDIS_URL,
      REDIS_PREFIX: prefix,
      DATABASE_FILE: file.file,
      DATA_DIR: mkdtempSync(join(tmpdir(), 'tanggap-worker-')),
      SECRET_KEY: '11'.repeat(32),
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  worker.stdout!.on('data', (d) => (workerLog += d))
  worker.stderr!.on('data', (d) => (workerLog += d))
  await eventually(() => workerLog.includes('worker started'), 20_000).catch(() => {
    throw new Error(`worker did not start:\n${workerLog}`)
  })
})

afterAll(async () => {
  worker?.kill('SIGTERM')
  await t?.close()
  file.close()
})

describe('redis mode with a separate worker process', () => {
  it('runs the form → item → reply loop through BullMQ and pushes the events through pub/sub', async () => {
    await t.app.listen({ host: '127.0.0.1', port: 0 })
    const port = (t.app.server.address() as { port: number }).port
    const admin = await signIn(t.app, 'dukcapil')
    const frames: ServerFrame[] = []
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`, { headers: { cookie: admin.cookie } })
    ws.on('message', (d) => frames.push(JSON.parse(String(d))))
    await eventually(() => frames.some((f) => f.type === 'hello'))

    const { trackingCode } = (await askQuestion(t.app, { name: 'Sri', text: 'Perekaman KTP-el untuk lansia bisa di rumah tidak?', topic: 'adminduk' })).json()
    const created = await eventually(() => frames.find((f) => f.type === 'item.created'), 15_000)
    expect(created.type === 'item.created' && created.item.trackingCode).toBe(trackingCode)

    const itemId = created.type === 'item.created' ? created.item.id : 0
    const reply = await t.app.inject({
      method: 'POST',
      url: `/api/items/${itemId}/replies`,
      headers: admin.headers,
      payload: { text: 'Bisa, hubungi kecamatan setempat.' },
    })
    expect(reply.statusCode).toBe(201)
    const status = await eventually(async () => {
      const s = (await t.app.inject({ url: `/api/public/questions/${trackingCode}` })).json()
      return s.status === 'answered' ? s : null
    }, 15_000)
    expect(status.answers[0].text).toBe('Bisa, hubungi kecamatan setempat.')
    await eventually(() => frames.some((f) => f.type === 'item.updated' && f.item.status === 'answered'))
    ws.close()
    expect((await t.app.inject({ url: '/readyz' })).statusCode).toBe(200)
  })

  it('loses nothing while the web process inserts and the worker process writes the same database file at once', async () => {
    const before = (t.db.$client.prepare('SELECT count(*) AS n FROM items').get() as { n: number }).n
    const asked = await Promise.all(
      Array.from({ length: 150 }, (_, i) =>
        askQuestion(t.app, { name: `Warga ${i}`, text: `Jalan rusak di RT ${i}, mohon segera diperbaiki`, topic: 'jalan' }),
      ),
    )
    expect(asked.every((r) => r.statusCode === 201)).toBe(true)
    await eventually(() => (t.db.$client.prepare('SELECT count(*) AS n FROM items').get() as { n: number }).n === before + 150, 30_000)
    expect(t.db.$client.prepare("SELECT count(*) AS n FROM deliveries WHERE state <> 'processed'").get()).toEqual({ n: 0 })
    expect(workerLog).not.toMatch(/SQLITE_BUSY/)
  })
})
