// Sign-in throttling per account, beside the limit per address: guessing one account's password
// from many addresses gets locked out too, without revealing which usernames exist.
import { openTestDb } from '@tanggap/db'
import { DEMO_PASSWORD } from '@tanggap/db/seed'
import type { FastifyInstance } from 'fastify'
import { Redis } from 'ioredis'
import { describe, expect, it } from 'vitest'
import { buildApp } from '../../server/src/app.ts'
import { createInProcessBus } from '../../server/src/events/inprocess.ts'
import { createInProcessQueue } from '../../server/src/jobs/inprocess.ts'
import { createTestApp, seedDemo, testConfig } from '../helpers/app.ts'
import { REDIS_URL, requireRedis, runPrefix } from '../helpers/redis.ts'

const login = (app: FastifyInstance, username: string, password: string, remoteAddress = '127.0.0.1') =>
  app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress, payload: { username, password } })

const withoutRequestId = (body: { error: Record<string, unknown> }) => ({ ...body.error, requestId: undefined })

describe('sign-in throttling per account', () => {
  it('locks an account guessed from 30 addresses, right password or not, and lets it in again after the lock', async () => {
    let now = Date.parse('2026-03-02T09:00:00+07:00')
    // The usual limit per address (10 a minute): each address here tries once.
    const t = await createTestApp({ clock: () => now, env: { RATE_LIMIT_LOGINS_PER_MINUTE: '10' } })
    const codes: number[] = []
    for (let i = 1; i <= 30; i++) codes.push((await login(t.app, 'dukcapil', `tebakan-${i}`, `198.51.100.${i}`)).statusCode)
    expect(codes).toEqual([...Array(10).fill(401), ...Array(20).fill(429)])

    const right = await login(t.app, 'dukcapil', DEMO_PASSWORD, '198.51.100.31')
    expect(right.statusCode).toBe(429)
    expect(right.cookies).toHaveLength(0)
    expect(right.json().error).toMatchObject({ code: 'RATE_LIMITED', message: expect.stringContaining('15 min') })
    expect(Number(right.headers['retry-after'])).toBe(15 * 60)

    // Another account, from an address that took part, is not affected.
    expect((await login(t.app, 'dpupr', DEMO_PASSWORD, '198.51.100.1')).statusCode).toBe(200)

    const audit = t.db.$client.prepare("SELECT action, entity_id AS account, after FROM audit_log WHERE action = 'auth.locked'").all() as {
      account: string
      after: string
    }[]
    expect(audit).toHaveLength(1)
    expect(audit[0]!.account).toBe('dukcapil')
    expect(JSON.parse(audit[0]!.after)).toMatchObject({ lockedUntil: now + 15 * 60_000 })

    now += 10 * 60_000
    const later = await login(t.app, 'dukcapil', DEMO_PASSWORD, '198.51.100.32')
    expect(later.statusCode).toBe(429)
    expect(Number(later.headers['retry-after'])).toBe(5 * 60)
    now += 5 * 60_000
    expect((await login(t.app, 'dukcapil', DEMO_PASSWORD, '198.51.100.33')).statusCode).toBe(200)
    await t.close()
  }, 60_000)

  it('counts unknown usernames the same way, so the answers reveal nothing', async () => {
    const t = await createTestApp({ env: { LOGIN_LOCK_FAILURES: '3' } })
    const known: number[] = []
    const unknown: number[] = []
    for (let i = 0; i < 4; i++) {
      known.push((await login(t.app, 'dpupr', 'salah-sekali')).statusCode)
      unknown.push((await login(t.app, 'bukan-pegawai', 'salah-sekali')).statusCode)
    }
    expect(known).toEqual([401, 401, 401, 429])
    expect(unknown).toEqual(known)
    const [a, b] = [await login(t.app, 'dpupr', 'x'), await login(t.app, 'bukan-pegawai', 'x')]
    expect(withoutRequestId(b.json())).toEqual(withoutRequestId(a.json()))
    expect(b.headers['retry-after']).toBe(a.headers['retry-after'])
    await t.close()
  }, 60_000)

  it('starts the count over after a successful sign-in', async () => {
    const t = await createTestApp({ env: { LOGIN_LOCK_FAILURES: '3' } })
    for (const password of ['salah-1', 'salah-2', DEMO_PASSWORD, 'salah-3', 'salah-4', DEMO_PASSWORD]) {
      expect((await login(t.app, 'dukcapil', password)).statusCode).toBe(password === DEMO_PASSWORD ? 200 : 401)
    }
    await t.close()
  }, 60_000)

  describe('in redis mode', () => {
    const prefix = runPrefix()
    requireRedis('sign-in throttling in redis mode', prefix)

    it('counts the failures of every web process together', async () => {
      const processes = await Promise.all(
        [0, 1].map(async () => {
          const file = openTestDb()
          await seedDemo(file.db)
          const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: true })
          await redis.connect()
          const jobs = createInProcessQueue()
          const bus = createInProcessBus()
          const app = await buildApp({ config: testConfig({ REDIS_PREFIX: prefix, LOGIN_LOCK_FAILURES: '4' }), db: file.db, jobs, bus, redis })
          await app.ready()
          return {
            app,
            close: async () => {
              await app.close()
              await jobs.close()
              await bus.close()
              redis.disconnect()
              file.close()
            },
          }
        }),
      )
      const [a, b] = processes as [(typeof processes)[number], (typeof processes)[number]]
      expect((await login(a.app, 'dishub', 'salah-1')).statusCode).toBe(401)
      expect((await login(b.app, 'dishub', 'salah-2')).statusCode).toBe(401)
      expect((await login(a.app, 'dishub', 'salah-3')).statusCode).toBe(401)
      expect((await login(b.app, 'dishub', 'salah-4')).statusCode).toBe(401)
      expect((await login(a.app, 'dishub', DEMO_PASSWORD)).statusCode).toBe(429)
      expect((await login(b.app, 'dishub', DEMO_PASSWORD)).statusCode).toBe(429)
      expect((await login(b.app, 'dukcapil', DEMO_PASSWORD)).statusCode).toBe(200)
      for (const p of processes) await p.close()
    }, 60_000)
  })
})
