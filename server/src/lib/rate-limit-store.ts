// The rate limiter's store in redis mode: @fastify/rate-limit's own Redis store, shared by every
// process, and its in-process store for while Redis is unreachable (see redis-fallback.ts), so a
// Redis outage never fails a limited route (the public form, sign-in).
import type { FastifyRateLimitStoreCtor } from '@fastify/rate-limit'
import type { Redis } from 'ioredis'
import { createRequire } from 'node:module'
import { redisFallback, type FallbackLog, type RedisFallback } from './redis-fallback.ts'

interface Counted {
  current: number
  ttl: number
}
type Callback = (err: Error | null, res?: Counted) => void
interface Store {
  incr(key: string, cb: Callback, timeWindow: number, max: number): void
  read(key: string, cb: Callback, timeWindow: number, max: number): void
  child(routeOptions: unknown): Store
}

// The plugin's stores ship without type declarations.
const require = createRequire(import.meta.url)
const LocalStore = require('@fastify/rate-limit/store/LocalStore.js') as new (continueExceeding: boolean, exponentialBackoff: boolean) => Store
const RedisStore = require('@fastify/rate-limit/store/RedisStore.js') as new (
  continueExceeding: boolean,
  exponentialBackoff: boolean,
  redis: Redis,
  key: string,
) => Store

class FallbackStore implements Store {
  constructor(
    private readonly remote: Store,
    private readonly local: Store,
    private readonly fallback: RedisFallback,
  ) {}

  incr(key: string, cb: Callback, timeWindow: number, max: number): void {
    this.count('incr', key, cb, timeWindow, max)
  }

  read(key: string, cb: Callback, timeWindow: number, max: number): void {
    this.count('read', key, cb, timeWindow, max)
  }

  child(routeOptions: unknown): Store {
    return new FallbackStore(this.remote.child(routeOptions), this.local.child(routeOptions), this.fallback)
  }

  private count(method: 'incr' | 'read', key: string, cb: Callback, timeWindow: number, max: number): void {
    const via = (store: Store) =>
      new Promise<Counted>((resolve, reject) => store[method](key, (err, res) => (err ? reject(err) : resolve(res!)), timeWindow, max))
    this.fallback
      .run(
        () => via(this.remote),
        () => via(this.local),
      )
      .then(
        (res) => cb(null, res),
        (err: Error) => cb(err),
      )
  }
}

/** A store class for @fastify/rate-limit's `store` option: counters under `nameSpace` in Redis, in this process while Redis is away. */
export function redisStoreWithFallback(redis: Redis, nameSpace: string, log: FallbackLog): FastifyRateLimitStoreCtor {
  const fallback = redisFallback(redis, log, 'rate limit')
  return class extends FallbackStore {
    constructor(params: { continueExceeding?: boolean; exponentialBackoff?: boolean }) {
      const { continueExceeding = false, exponentialBackoff = false } = params
      super(new RedisStore(continueExceeding, exponentialBackoff, redis, nameSpace), new LocalStore(continueExceeding, exponentialBackoff), fallback)
    }
  } as unknown as FastifyRateLimitStoreCtor
}
