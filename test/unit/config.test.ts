import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from '../../server/src/config.ts'

const base = { SECRET_KEY: 'ab'.repeat(32), DATA_DIR: '/tmp/tanggap-config-test' }

describe('configuration', () => {
  it.each([
    ['PORT', 'eighty'],
    ['PORT', '70000'],
    ['REDIS_URL', 'localhost:6379'],
    ['COOKIE_SECURE', 'maybe'],
    ['TIMEZONE', 'Asia/Tegal'],
    ['LOG_LEVEL', 'loud'],
    ['SECRET_KEY', 'too-short'],
    ['WORKER_NICE', '20'],
  ])('stops on a bad %s (%s) and names the variable', (name, value) => {
    expect(() => loadConfig({ ...base, [name]: value })).toThrow(ConfigError)
    expect(() => loadConfig({ ...base, [name]: value })).toThrow(new RegExp(`^Configuration ${name}:`))
  })

  it('requires SECRET_KEY in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', DATA_DIR: base.DATA_DIR })).toThrow(/SECRET_KEY/)
  })

  it('defaults to embedded mode with demo data outside production', () => {
    const c = loadConfig(base)
    expect(c).toMatchObject({ redisUrl: null, seedDemo: true, timeZone: 'Asia/Jakarta', cookieSecure: false, port: 3000, workerNice: 10 })
    expect(loadConfig({ ...base, NODE_ENV: 'production' })).toMatchObject({ seedDemo: false, cookieSecure: true })
  })
})
