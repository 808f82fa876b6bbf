// Security headers: pages carry a Content-Security-Policy without inline script that forbids framing,
// no answer is sniffed or leaks its URL (tracking codes) as a referrer, /api answers with personal
// data are never stored by a browser or proxy, and HSTS is sent in production only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { askQuestion, createTestApp, signIn, type SignedIn, type TestApp } from '../helpers/app.ts'

let t: TestApp
let admin: SignedIn

beforeAll(async () => {
  t = await createTestApp()
  admin = await signIn(t.app, 'dukcapil')
})
afterAll(() => t?.close())

/** The policy as { directive: sources }. */
function csp(header: unknown): Record<string, string[]> {
  expect(typeof header).toBe('string')
  const out: Record<string, string[]> = {}
  for (const part of (header as string).split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/)
    if (name) out[name] = sources
  }
  return out
}

describe('security headers', () => {
  it.each(['/masuk', '/kotak-masuk', '/'])('the page %s may run only the site’s own scripts and cannot be framed', async (url) => {
    const res = await t.app.inject({ url })
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toMatch(/^text\/html/)
    const policy = csp(res.headers['content-security-policy'])
    expect(policy['script-src']).toEqual(["'self'"])
    expect(policy['script-src-attr']).toEqual(["'none'"])
    expect(policy['style-src']).toEqual(["'self'"])
    expect(policy['object-src']).toEqual(["'none'"])
    expect(policy['frame-ancestors']).toEqual(["'none'"])
    expect(policy['default-src']).toEqual(["'self'"])
    expect(policy['connect-src']).toEqual(["'self'"])
    // Served over plain http outside production: no upgrade of requests to https.
    expect(policy['upgrade-insecure-requests']).toBeUndefined()
    expect(res.headers['x-frame-options']).toBe('DENY')
    expect(res.headers['x-content-type-options']).toBe('nosniff')
    expect(res.headers['referrer-policy']).toBe('same-origin')
    expect(res.headers['strict-transport-security']).toBeUndefined()
  })

  it('a status page (/lacak/…) sends no referrer to other sites, known code or not', async () => {
    const { trackingCode } = (await askQuestion(t.app, { name: 'Rina', text: 'Kapan KTP saya jadi?', topic: 'adminduk' })).json()
    for (const code of [trackingCode, 'AAAA-AAAA']) {
      const res = await t.app.inject({ url: `/lacak/${code}` })
      expect(res.headers['referrer-policy']).toBe('same-origin')
      expect(csp(res.headers['content-security-policy'])['script-src']).toEqual(["'self'"])
    }
  })

  it('an /api answer with personal data is not stored, nor sniffed', async () => {
    for (const url of ['/api/auth/session', '/api/items', '/api/board', '/api/opds']) {
      const res = await t.app.inject({ url, headers: admin.headers })
      expect(res.statusCode, url).toBe(200)
      expect(res.headers['cache-control'], url).toBe('no-store')
      expect(res.headers['x-content-type-options'], url).toBe('nosniff')
    }
    const { trackingCode } = (await askQuestion(t.app, { name: 'Budi', text: 'Jalan rusak di desa kami', topic: 'jalan' })).json()
    const status = await t.app.inject({ url: `/api/public/questions/${trackingCode}` })
    expect(status.statusCode).toBe(200)
    expect(status.headers['cache-control']).toBe('no-store')
  })

  it('error answers under /api are not stored either (401, 404, 400)', async () => {
    const anonymous = await t.app.inject({ url: '/api/items' })
    const missing = await t.app.inject({ url: '/api/no-such-thing' })
    const invalid = await askQuestion(t.app, { name: '', text: '' })
    for (const res of [anonymous, missing, invalid]) {
      expect(res.statusCode).toBeGreaterThanOrEqual(400)
      expect(res.headers['cache-control']).toBe('no-store')
      expect(res.json().error.requestId).toBeTruthy()
    }
  })

  it('the public form options (no personal data) may be cached', async () => {
    const res = await t.app.inject({ url: '/api/public/options' })
    expect(res.statusCode).toBe(200)
    expect(res.headers['cache-control']).toBe('public, max-age=300')
  })

  it('the API docs (/docs) keep working under their own policy: still no inline script, no framing', async () => {
    const page = await t.app.inject({ url: '/docs' })
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('swagger-initializer.js')
    const policy = csp(page.headers['content-security-policy'])
    expect(policy['script-src']).toEqual(["'self'"])
    expect(policy['style-src']).toEqual(["'self'", "'unsafe-inline'"])
    expect(policy['frame-ancestors']).toEqual(["'none'"])
    const spec = await t.app.inject({ url: '/docs/json' })
    expect(spec.statusCode).toBe(200)
    expect(spec.json().openapi).toMatch(/^3\./)
  })
})

describe('security headers in production', () => {
  let prod: TestApp
  beforeAll(async () => {
    prod = await createTestApp({ env: { NODE_ENV: 'production' } })
  })
  afterAll(() => prod?.close())

  it('adds HSTS and upgrades insecure requests', async () => {
    const res = await prod.app.inject({ url: '/masuk' })
    expect(res.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains')
    const policy = csp(res.headers['content-security-policy'])
    expect(policy['upgrade-insecure-requests']).toEqual([])
    expect(policy['script-src']).toEqual(["'self'"])
    const api = await prod.app.inject({ url: '/api/public/options' })
    expect(api.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains')
  })
})
