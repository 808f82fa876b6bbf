// Suites on a real Redis: a connection that fails loudly, and cleanup of a run's keys.
import { Redis } from 'ioredis'
import { afterAll, beforeAll } from 'vitest'

export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'

/** A key prefix unique to this test run. */
export const runPrefix = () => `tanggap-test-${process.pid}-${Date.now()}`

/** Connects to REDIS_URL; CI guarantees Redis, so an unreachable one is a failure, never a skip. */
export async function connectRedis(suite: string): Promise<Redis> {
  const probe = new Redis(REDIS_URL, { lazyConnect: true, connectTimeout: 2_000, maxRetriesPerRequest: 0, retryStrategy: () => null })
  let cause: Error | undefined
  probe.on('error', (err: Error) => (cause = err))
  try {
    await probe.connect()
    await probe.ping()
  } catch (err) {
    probe.disconnect()
    throw new Error(`Redis is not answering at ${REDIS_URL} (${(cause ?? (err as Error)).message}); ${suite} needs it`)
  }
  return probe
}

/** Deletes every key under prefix, then closes the connection. */
export async function deleteKeysAndQuit(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0'
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500)
    if (keys.length > 0) await redis.del(...keys)
    cursor = next
  } while (cursor !== '0')
  await redis.quit()
}

/** In a describe block: fails its beforeAll when Redis does not answer, and deletes prefix's keys after it. */
export function requireRedis(suite: string, prefix: string): void {
  let admin: Redis | undefined
  beforeAll(async () => {
    admin = await connectRedis(suite)
  })
  afterAll(async () => {
    if (admin) await deleteKeysAndQuit(admin, prefix)
  })
}
