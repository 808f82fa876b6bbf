// Authentication before validation: a caller who may not use a route learns nothing of its input
// rules. Every signed-in route in Fastify's route table (so a new route cannot slip by) answers an
// anonymous request with a malformed body or query 401, a request without the CSRF token 403, and a
// wrong role 403, before any parsing or validation (those would answer 400, 413 or 415).
import type { FastifyInstance, InjectOptions } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, signIn, type SignedIn, type TestApp } from '../helpers/app.ts'

/** Routes anyone may call; every other route in the table must require a session. */
const PUBLIC: RegExp[] = [
  /^\/api\/auth\/login$/,
  /^\/api\/public\//,
  /^\/webhooks\//,
  /^\/(healthz|readyz)$/,
  // The websocket checks its session cookie at the upgrade (see websocket tests).
  /^\/ws$/,
  /^\/docs(\/|$)/,
  /^\/assets\//,
  /^\/index\.html$/,
  /^\/lacak\/:code$/,
]

/** The superadmin's alone: everything under /api/admin, and SLA settings changes. */
const SUPERADMIN_ONLY = (r: Route) => r.url.startsWith('/api/admin/') || (r.url.startsWith('/api/sla/') && r.method !== 'GET')

interface Route {
  method: string
  url: string
}

/** Every (method, path) in the route table, read from printRoutes' tree (Fastify lists routes no other way). */
function routeTable(app: FastifyInstance): Route[] {
  const routes: Route[] = []
  const paths: string[] = []
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const m = /^([│ ]*)[├└]── (.+?)(?: \(([A-Z, ]+)\))?$/.exec(line)
    if (!m) continue
    const depth = m[1]!.length / 4
    paths.length = depth
    const url = (paths[depth - 1] ?? '') + m[2]
    paths[depth] = url
    for (const method of m[3]?.split(', ') ?? []) if (method !== 'HEAD') routes.push({ method, url })
  }
  return routes
}

const hasBody = (r: Route) => !['GET', 'DELETE', 'OPTIONS'].includes(r.method)

/** The route with a malformed id, query and (for writes) a JSON body that does not parse. */
const malformed = (r: Route, headers: Record<string, string> = {}): InjectOptions => ({
  method: r.method as InjectOptions['method'],
  url: `${r.url.replace(/:\w+/g, 'not-an-id')}?limit=-1&status=%00&unknown=1`,
  headers: hasBody(r) ? { ...headers, 'content-type': 'application/json' } : headers,
  ...(hasBody(r) ? { payload: '{"text": ' } : {}),
})

let t: TestApp
let signedInRoutes: Route[]
let opdAdmin: SignedIn
let supervisor: SignedIn
let superadmin: SignedIn

beforeAll(async () => {
  t = await createTestApp()
  signedInRoutes = routeTable(t.app).filter((r) => !PUBLIC.some((p) => p.test(r.url)))
  opdAdmin = await signIn(t.app, 'dukcapil')
  supervisor = await signIn(t.app, 'prokompim')
  superadmin = await signIn(t.app, 'superadmin')
})
afterAll(() => t?.close())

const name = (r: Route) => `${r.method} ${r.url}`

describe('authentication before validation', () => {
  it('reads the whole route table', () => {
    const names = signedInRoutes.map(name)
    for (const known of [
      'GET /api/items',
      'POST /api/items/:id/replies',
      'POST /api/auth/logout',
      'GET /api/board',
      'PUT /api/sla/policies/:id',
      'PATCH /api/admin/channels/:id',
      'GET /api/channels',
    ]) {
      expect(names).toContain(known)
    }
    expect(names).not.toContain('POST /api/auth/login')
  })

  it('answers every anonymous request to a signed-in route 401, however malformed', async () => {
    const answers: Record<string, string> = {}
    for (const r of signedInRoutes) {
      const res = await t.app.inject(malformed(r))
      answers[name(r)] = `${res.statusCode} ${res.json().error?.code}`
      expect(res.json().error.requestId).toBeTruthy()
    }
    expect(answers).toEqual(Object.fromEntries(signedInRoutes.map((r) => [name(r), '401 UNAUTHENTICATED'])))
  })

  it('answers 401 to an anonymous body too large or of the wrong type, without reading it', async () => {
    const writes = signedInRoutes.filter(hasBody)
    expect(writes.length).toBeGreaterThan(5)
    for (const r of writes) {
      const url = r.url.replace(/:\w+/g, '1')
      const huge = await t.app.inject({
        method: r.method as InjectOptions['method'],
        url,
        headers: { 'content-type': 'application/json' },
        payload: `"${'x'.repeat(t.config.bodyLimitBytes + 10)}"`,
      })
      const xml = await t.app.inject({ method: r.method as InjectOptions['method'], url, headers: { 'content-type': 'application/xml' }, payload: '<a/>' })
      expect([huge.statusCode, xml.statusCode], name(r)).toEqual([401, 401])
    }
  })

  it('answers a signed-in change without the CSRF token 403, before validation', async () => {
    const answers: Record<string, string> = {}
    const writes = signedInRoutes.filter(hasBody)
    for (const r of writes) {
      const res = await t.app.inject(malformed(r, { cookie: superadmin.cookie }))
      answers[name(r)] = `${res.statusCode} ${res.json().error?.code}`
    }
    expect(answers).toEqual(Object.fromEntries(writes.map((r) => [name(r), '403 CSRF'])))
  })

  it('answers a wrong role 403 before validation, where the right role gets the 400', async () => {
    const guarded = signedInRoutes.filter(SUPERADMIN_ONLY)
    expect(guarded.length).toBeGreaterThan(5)
    const answers: Record<string, string[]> = {}
    const expected: Record<string, string[]> = {}
    for (const r of guarded) {
      const asAdmin = await t.app.inject(malformed(r, opdAdmin.headers))
      const asSupervisor = await t.app.inject(malformed(r, supervisor.headers))
      answers[name(r)] = [asAdmin, asSupervisor].map((res) => `${res.statusCode} ${res.json().error?.code}`)
      expected[name(r)] = ['403 FORBIDDEN', '403 FORBIDDEN']
    }
    expect(answers).toEqual(expected)

    // The same requests are malformed indeed: the superadmin is told so.
    for (const r of guarded.filter((g) => g.url.includes(':') || hasBody(g))) {
      const res = await t.app.inject(malformed(r, superadmin.headers))
      expect(res.statusCode, name(r)).toBe(400)
      expect(res.json().error.code, name(r)).toBe('VALIDATION')
    }
  })

  it('lets an OPD admin read the SLA policies no more than write them', async () => {
    const res = await t.app.inject({ url: '/api/sla/policies?unknown=1', headers: opdAdmin.headers })
    expect(res.statusCode).toBe(403)
    expect((await t.app.inject({ url: '/api/sla/policies', headers: supervisor.headers })).statusCode).toBe(200)
  })
})
