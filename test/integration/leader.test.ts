// Redis mode: exactly one process runs the SLA scheduler, and another takes over when it dies.
import { Redis } from 'ioredis'
import { afterAll, describe, expect, it } from 'vitest'
import { redisLeader } from '../../server/src/lib/leader.ts'
import { REDIS_URL, requireRedis, runPrefix } from '../helpers/redis.ts'

const key = `${runPrefix()}-leader`
requireRedis('scheduler leadership', key)
const clients: Redis[] = []
const connect = () => {
  const r = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 })
  clients.push(r)
  return r
}

afterAll(() => {
  for (const c of clients) c.disconnect()
})

describe('scheduler leadership over Redis', () => {
  it('lets one of three processes lead, keeps it while it renews, and hands over when it dies', async () => {
    const [a, b, c] = [redisLeader(connect(), key, 300), redisLeader(connect(), key, 300), redisLeader(connect(), key, 300)]
    const first = await Promise.all([a.lead(), b.lead(), c.lead()])
    expect(first.filter(Boolean)).toHaveLength(1)
    const leader = [a, b, c][first.indexOf(true)]!
    const others = [a, b, c].filter((x) => x !== leader)
    // Renewing within the expiry keeps the lead.
    for (let i = 0; i < 4; i++) {
      await new Promise((r) => setTimeout(r, 150))
      expect(await leader.lead()).toBe(true)
      expect(await Promise.all(others.map((o) => o.lead()))).toEqual([false, false])
    }
    // The leader dies (stops renewing): within the expiry another takes over, and only one.
    await new Promise((r) => setTimeout(r, 400))
    const next = await Promise.all(others.map((o) => o.lead()))
    expect(next.filter(Boolean)).toHaveLength(1)
    // The old leader, back from a pause, finds it has lost the lead.
    expect(await leader.lead()).toBe(false)
  })

  it('steps down when Redis cannot be reached', async () => {
    const dead = new Redis('redis://127.0.0.1:9', { maxRetriesPerRequest: 0, lazyConnect: true, retryStrategy: () => null })
    dead.on('error', () => {})
    clients.push(dead)
    expect(await redisLeader(dead, key, 300).lead()).toBe(false)
  })
})
