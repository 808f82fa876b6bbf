// Leadership for work exactly one process may do (the SLA scheduler). Embedded mode has one
// process; in redis mode a key with a short expiry names the leader, renewed while it lives, so
// another process takes over within the expiry when it dies.
import { randomUUID } from 'node:crypto'
import type { Redis } from 'ioredis'

export interface LeaderLock {
  /** True while this process leads; tries to acquire the lead when nobody holds it. */
  lead(): Promise<boolean>
  release(): Promise<void>
}

export const soleLeader = (): LeaderLock => ({ lead: async () => true, release: async () => {} })

const RENEW = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`

export function redisLeader(redis: Redis, key: string, ttlMs = 5_000): LeaderLock {
  const token = randomUUID()
  let leading = false
  return {
    async lead() {
      try {
        if (leading) leading = (await redis.eval(RENEW, 1, key, token, String(ttlMs))) === 1
        if (!leading) leading = (await redis.set(key, token, 'PX', ttlMs, 'NX')) === 'OK'
      } catch {
        // Redis unreachable: step down, so two processes never both lead.
        leading = false
      }
      return leading
    },
    async release() {
      leading = false
      await redis.eval(RELEASE, 1, key, token).catch(() => {})
    },
  }
}
