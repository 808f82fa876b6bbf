// Configuration is read once at boot from environment variables. A bad value stops the start
// with a message naming the variable.
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'

import { PLATFORMS, type Platform } from '@tanggap/shared'

/** Where each platform's API lives. Tests and the simulator point these at local servers. */
export const PLATFORM_API_DEFAULTS: Record<Platform, string> = {
  website: '',
  facebook: 'https://graph.facebook.com/v21.0',
  instagram: 'https://graph.facebook.com/v21.0',
  whatsapp: 'https://graph.facebook.com/v21.0',
  telegram: 'https://api.telegram.org',
  x: 'https://api.x.com',
  tiktok: 'https://business-api.tiktok.com/open_api/v1.3',
  youtube: 'https://www.googleapis.com/youtube/v3',
}

export interface Config {
  env: 'development' | 'production' | 'test'
  host: string
  port: number
  publicUrl: string
  dataDir: string
  databaseFile: string
  redisUrl: string | null
  redisPrefix: string
  /** Redis mode: false when separate `npm run worker` processes consume the jobs. */
  runWorkers: boolean
  /** CPU priority (nice, 0–19) a `npm run worker` process takes: web processes answer platforms first. */
  workerNice: number
  /** 32 bytes: seals channel credentials at rest. */
  secretKey: Buffer
  cookieSecure: boolean
  sessionTtlHours: number
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent'
  timeZone: string
  seedDemo: boolean
  bodyLimitBytes: number
  /** How often channels without webhooks (YouTube) are polled. */
  pollIntervalSeconds: number
  /** Webhook bodies can be larger (WhatsApp: up to 3 MB). */
  webhookBodyLimitBytes: number
  trustProxy: boolean
  webDist: string
  rateLimit: { questionsPerMinute: number; loginsPerMinute: number }
  /** Wrong passwords one account may take within `lockMinutes` before it is locked for as long (any address). */
  loginLock: { failures: number; lockMinutes: number }
  /** Base URL of each platform's API (FACEBOOK_API_URL, …; SIMULATOR_URL sets them all). */
  platformApi: Record<Platform, string>
  /** Days a processed delivery's raw body is kept before it is emptied (RAW_BODY_RETENTION_DAYS); 0 keeps every body. */
  rawBodyRetentionDays: number
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`Configuration ${variable}: ${problem}`)
    this.name = 'ConfigError'
  }
}

type Env = Record<string, string | undefined>

const str = (env: Env, name: string, fallback: string): string => {
  const v = env[name]?.trim()
  return v === undefined || v === '' ? fallback : v
}

const int = (env: Env, name: string, fallback: number, min: number, max: number): number => {
  const raw = env[name]?.trim()
  if (raw === undefined || raw === '') return fallback
  if (!/^\d+$/.test(raw)) throw new ConfigError(name, `"${raw}" is not a whole number`)
  const n = Number(raw)
  if (n < min || n > max) throw new ConfigError(name, `${n} is outside ${min}–${max}`)
  return n
}

const bool = (env: Env, name: string, fallback: boolean): boolean => {
  const raw = env[name]?.trim().toLowerCase()
  if (raw === undefined || raw === '') return fallback
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true
  if (['0', 'false', 'no', 'off'].includes(raw)) return false
  throw new ConfigError(name, `"${raw}" is not true or false`)
}

const oneOf = <T extends string>(env: Env, name: string, fallback: T, allowed: readonly T[]): T => {
  const v = str(env, name, fallback)
  if (!(allowed as readonly string[]).includes(v)) throw new ConfigError(name, `"${v}" is not one of ${allowed.join(', ')}`)
  return v as T
}

const url = (env: Env, name: string, fallback: string | null, protocols: string[]): string | null => {
  const v = env[name]?.trim()
  if (v === undefined || v === '') return fallback
  let parsed: URL
  try {
    parsed = new URL(v)
  } catch {
    throw new ConfigError(name, `"${v}" is not a URL`)
  }
  if (!protocols.includes(parsed.protocol)) throw new ConfigError(name, `must start with ${protocols.join(' or ')}`)
  return v
}

/** SECRET_KEY must be 32 bytes (64 hex characters or base64). Outside production a key is made once and kept in the data folder. */
function secretKey(env: Env, name: string, production: boolean, dataDir: string): Buffer {
  const raw = env[name]?.trim()
  if (raw) {
    const key = /^[0-9a-fA-F]{64}$/.test(raw) ? Buffer.from(raw, 'hex') : Buffer.from(raw, 'base64')
    if (key.length !== 32) throw new ConfigError(name, 'must be 32 bytes, as 64 hex characters or base64')
    return key
  }
  if (production) throw new ConfigError(name, 'is required in production (generate one: openssl rand -hex 32)')
  const file = join(dataDir, 'secret.key')
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true })
    writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600 })
  }
  return Buffer.from(readFileSync(file, 'utf8').trim(), 'hex')
}

function platformApi(env: Env): Record<Platform, string> {
  const simulator = url(env, 'SIMULATOR_URL', null, ['http:', 'https:'])?.replace(/\/$/, '')
  const out = {} as Record<Platform, string>
  for (const p of PLATFORMS) {
    const name = `${p.toUpperCase()}_API_URL`
    const fallback = simulator && p !== 'website' ? `${simulator}/${p}` : PLATFORM_API_DEFAULTS[p]
    out[p] = (url(env, name, fallback, ['http:', 'https:']) ?? '').replace(/\/$/, '')
  }
  return out
}

export function loadConfig(env: Env = process.env): Config {
  const mode = oneOf(env, 'NODE_ENV', 'development', ['development', 'production', 'test'] as const)
  const production = mode === 'production'
  const port = int(env, 'PORT', 3000, 0, 65535)
  const dataDir = resolve(str(env, 'DATA_DIR', './data'))
  const timeZone = str(env, 'TIMEZONE', 'Asia/Jakarta')
  try {
    new Intl.DateTimeFormat('en', { timeZone })
  } catch {
    throw new ConfigError('TIMEZONE', `"${timeZone}" is not an IANA time zone`)
  }
  return Object.freeze({
    env: mode,
    host: str(env, 'HOST', '127.0.0.1'),
    port,
    publicUrl: url(env, 'PUBLIC_URL', `http://localhost:${port}`, ['http:', 'https:'])!.replace(/\/$/, ''),
    dataDir,
    databaseFile: resolve(str(env, 'DATABASE_FILE', join(dataDir, 'tanggap.db'))),
    redisUrl: url(env, 'REDIS_URL', null, ['redis:', 'rediss:']),
    redisPrefix: str(env, 'REDIS_PREFIX', 'tanggap'),
    runWorkers: bool(env, 'RUN_WORKERS', true),
    workerNice: int(env, 'WORKER_NICE', 10, 0, 19),
    secretKey: secretKey(env, 'SECRET_KEY', production, dataDir),
    cookieSecure: bool(env, 'COOKIE_SECURE', production),
    sessionTtlHours: int(env, 'SESSION_TTL_HOURS', 12, 1, 24 * 30),
    logLevel: oneOf(env, 'LOG_LEVEL', production ? 'info' : 'warn', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const),
    timeZone,
    seedDemo: bool(env, 'SEED_DEMO', !production),
    bodyLimitBytes: int(env, 'BODY_LIMIT_BYTES', 256 * 1024, 1024, 50 * 1024 * 1024),
    pollIntervalSeconds: int(env, 'POLL_INTERVAL_SECONDS', 60, 5, 86_400),
    webhookBodyLimitBytes: int(env, 'WEBHOOK_BODY_LIMIT_BYTES', 4 * 1024 * 1024, 1024, 50 * 1024 * 1024),
    trustProxy: bool(env, 'TRUST_PROXY', false),
    webDist: resolve(str(env, 'WEB_DIST', './web/dist')),
    platformApi: platformApi(env),
    rawBodyRetentionDays: int(env, 'RAW_BODY_RETENTION_DAYS', 30, 0, 36_500),
    rateLimit: {
      questionsPerMinute: int(env, 'RATE_LIMIT_QUESTIONS_PER_MINUTE', 5, 1, 100_000),
      loginsPerMinute: int(env, 'RATE_LIMIT_LOGINS_PER_MINUTE', 10, 1, 100_000),
    },
    loginLock: {
      failures: int(env, 'LOGIN_LOCK_FAILURES', 10, 1, 1_000),
      lockMinutes: int(env, 'LOGIN_LOCK_MINUTES', 15, 1, 24 * 60),
    },
  })
}
