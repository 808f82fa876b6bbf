// Isolation over the whole route table: every method and path Fastify serves is either probed
// here, for every role, against an item of another OPD and one that was moved away, or listed as
// public with the reason it may be. A route added later has no entry and fails the first test.
// Wrong actors get 401/403/404 and never the citizen's name, text or tracking code; the right
// actors do get the item, so every expectation here can fail. The websocket follows the same rule.
import { existsSync, statSync } from 'node:fs'
import { join } from 'node:path'
import type { FastifyInstance, InjectOptions } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import type { Board, Role, ServerEvent, ServerFrame } from '@tanggap/shared'
import { createEventBus } from '../../server/src/events/index.ts'
import { askQuestion, createTestApp, eventually, opdId, signIn, type SignedIn, type TestApp } from '../helpers/app.ts'
import { REDIS_URL, requireRedis, runPrefix } from '../helpers/redis.ts'
import { rows } from '../helpers/webhooks.ts'

const wib = (s: string) => Date.parse(`${s}+07:00`)
const MISSING = 999_999

interface Route {
  method: string
  path: string
}

/** Every method and path in Fastify's route table, read from its own listing (printRoutes). */
function routeTable(app: FastifyInstance): Route[] {
  const routes: Route[] = []
  const paths: string[] = []
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const m = /^((?:│ {3}| {4})*)[├└]── (.+?)(?: \(([A-Z, ]+)\))?$/.exec(line)
    if (!m) continue
    const depth = m[1]!.length / 4
    paths.length = depth
    const path = (paths[depth - 1] ?? '') + m[2]
    paths[depth] = path
    for (const method of m[3]?.split(', ') ?? []) routes.push({ method, path })
  }
  return routes
}

type User = 'dishub' | 'dukcapil' | 'dpupr' | 'prokompim' | 'superadmin'
type Who = 'anonymous' | User
/** dukcapil held the moved item until the move; dishub never held either item; dpupr holds both. */
const WRONG: Who[] = ['anonymous', 'dishub', 'dukcapil']
const RIGHT: User[] = ['dpupr', 'prokompim', 'superadmin']
const SIGNED_IN: User[] = ['dishub', 'dukcapil', 'dpupr', 'prokompim', 'superadmin']
const ROLE: Record<User, Role> = { dishub: 'opd_admin', dukcapil: 'opd_admin', dpupr: 'opd_admin', prokompim: 'supervisor', superadmin: 'superadmin' }

interface Target {
  name: string
  id: number
  /** What no wrong actor may read anywhere: the citizen's name, words of the question, the tracking code. */
  secrets: string[]
}

type Spec =
  | { kind: 'public'; reason: string }
  /** Probed over real sockets in the websocket block below (and anonymously here). */
  | { kind: 'websocket' }
  /** /api/items/:id…: 404 like a missing item unless the user may see the OPD holding the item now. */
  | { kind: 'item'; body?: (target: Target) => Record<string, unknown>; movesItem?: true }
  /** Reads of many items: only what the item routes would show; the right actors see both items. */
  | { kind: 'items'; queries: string[] }
  /** Any signed-in user (or only these roles); nothing of any item. */
  | { kind: 'user'; roles?: Role[]; freshSession?: true }

let t: TestApp
let who: Record<User, SignedIn>
let held: Target
let moved: Target
let ids: { dpupr: number; dishub: number; dukcapil: number }
/** When the moved item breached: charged to Disdukcapil, which held it then. */
let movedBreachAt: number

const SPECS: Record<string, Spec> = {
  'GET /api/items': { kind: 'items', queries: ['', '?status=open', '?sort=newest'] },
  'GET /api/items/:id': { kind: 'item' },
  'POST /api/items/:id/replies': { kind: 'item', body: () => ({ text: 'Baik, kami tindak lanjuti.' }) },
  // Reopening an open item changes nothing: the probe itself never alters the item.
  'POST /api/items/:id/status': { kind: 'item', body: () => ({ status: 'open' }) },
  'POST /api/items/:id/dispositions': {
    kind: 'item',
    movesItem: true,
    body: (target) => ({ toOpdId: opdNow(target) === ids.dpupr ? ids.dishub : ids.dpupr, reason: 'Uji hak akses' }),
  },
  'GET /api/board': { kind: 'items', queries: ['', '?platform=website'] },
  'GET /api/channels': { kind: 'user' },
  'GET /api/opds': { kind: 'user' },
  'GET /api/auth/session': { kind: 'user' },
  'POST /api/auth/logout': { kind: 'user', freshSession: true },
  'GET /api/sla/calendars': { kind: 'user' },
  'POST /api/sla/calendars': { kind: 'user', roles: ['superadmin'] },
  'PUT /api/sla/calendars/:id': { kind: 'user', roles: ['superadmin'] },
  'GET /api/sla/policies': { kind: 'user', roles: ['superadmin', 'supervisor'] },
  'POST /api/sla/policies': { kind: 'user', roles: ['superadmin'] },
  'PUT /api/sla/policies/:id': { kind: 'user', roles: ['superadmin'] },
  'GET /ws': { kind: 'websocket' },
  'POST /api/auth/login': { kind: 'public', reason: 'signing in; answers only the session of whoever signs in' },
  'GET /api/public/options': { kind: 'public', reason: 'the citizen form’s topics and OPD names' },
  'POST /api/public/questions': { kind: 'public', reason: 'the citizen form; answers only the new tracking code' },
  'GET /api/public/questions/:code': { kind: 'public', reason: 'the citizen’s status page: the tracking code is their secret, rate-limited' },
  'GET /lacak/:code': { kind: 'public', reason: 'the web app’s page for a tracking code (HTML, no data)' },
  'GET /healthz': { kind: 'public', reason: 'liveness, no data' },
  'GET /readyz': { kind: 'public', reason: 'readiness, no data' },
}

/** Rules for families of routes, so a new route in them is probed without an entry. */
function specFor(r: Route): Spec | undefined {
  const key = `${r.method === 'HEAD' ? 'GET' : r.method} ${r.path}`
  if (SPECS[key]) return SPECS[key]
  if (r.path.startsWith('/api/admin/')) return { kind: 'user', roles: ['superadmin'] }
  if (r.path.startsWith('/webhooks/')) return { kind: 'public', reason: 'platform deliveries: signature-checked, they answer nothing of any item' }
  if (r.path === '/docs' || r.path.startsWith('/docs/')) return { kind: 'public', reason: 'the OpenAPI description and its viewer, no data' }
  const file = join(t.config.webDist, r.path)
  if (r.method !== 'POST' && existsSync(file) && statSync(file).isFile()) return { kind: 'public', reason: 'a file of the built web app' }
  return undefined
}

const opdNow = (target: Target) => rows<{ opd_id: number }>(t, 'SELECT opd_id FROM items WHERE id = ?', target.id)[0]?.opd_id

/** The request a route is probed with: path parameters filled, a valid body where the route takes one. */
function request(r: Route, spec: Spec, target: Target | null, as: Who, session?: SignedIn): InjectOptions {
  const url = r.path
    .replace(':id', String(target?.id ?? MISSING))
    .replace(/:[A-Za-z]+/g, 'ZZZZ9999')
    .replace('*', 'x')
  const headers = as === 'anonymous' ? {} : (session ?? who[as]).headers
  const body = spec.kind === 'item' && spec.body && target ? spec.body(target) : undefined
  return { method: r.method as InjectOptions['method'], url, headers, ...(body ? { payload: body } : {}) }
}

const leaked = (body: string, targets: Target[]) => targets.flatMap((x) => x.secrets.filter((s) => body.includes(s)).map((s) => `${x.name}: ${s}`))

beforeAll(async () => {
  // Monday 09:00 WIB; website questions are due in 3 working days.
  const clock = { now: wib('2026-11-23T09:00:00') }
  t = await createTestApp({ clock: () => clock.now, runScheduler: false })
  const ask = async (name: string, text: string, topic: string) => {
    const res = await askQuestion(t.app, { name, text, topic })
    expect(res.statusCode).toBe(201)
    return res.json().trackingCode as string
  }
  const movedCode = await ask('Ratna Kusumawati', 'Akta kelahiran anak kami hilang terbawa banjir RAHASIAPINDAH', 'adminduk')
  const heldCode = await ask('Bambang Sulistyo', 'Jembatan desa retak sejak pekan lalu RAHASIATETAP', 'jalan')
  await t.jobs.idle()
  const itemOf = (code: string) => rows<{ id: number; due_at: number }>(t, 'SELECT i.id, i.due_at FROM items i WHERE i.tracking_code = ?', code)[0]!
  ids = { dpupr: opdId(t, 'dpupr'), dishub: opdId(t, 'dishub'), dukcapil: opdId(t, 'disdukcapil') }
  moved = { name: 'moved away', id: itemOf(movedCode).id, secrets: ['Ratna Kusumawati', 'RAHASIAPINDAH', movedCode] }
  held = { name: 'held by another OPD', id: itemOf(heldCode).id, secrets: ['Bambang Sulistyo', 'RAHASIATETAP', heldCode] }

  // Both breach unanswered: the moved one while Disdukcapil still holds it.
  clock.now = Math.max(itemOf(movedCode).due_at, itemOf(heldCode).due_at) + 60_000
  t.app.services.scheduler.runOnce()
  movedBreachAt = rows<{ at: number; opd_id: number }>(t, "SELECT at, opd_id FROM metric_events WHERE type = 'breach' AND item_id = ?", moved.id)[0]!.at
  expect(rows(t, "SELECT 1 FROM metric_events WHERE type = 'breach' AND item_id = ? AND opd_id = ?", moved.id, ids.dukcapil)).toHaveLength(1)

  // Sessions of the fake clock's day (the first ones would have expired).
  who = {
    dishub: await signIn(t.app, 'dishub'),
    dukcapil: await signIn(t.app, 'dukcapil'),
    dpupr: await signIn(t.app, 'dpupr'),
    prokompim: await signIn(t.app, 'prokompim'),
    superadmin: await signIn(t.app, 'superadmin'),
  }
  const move = await t.app.inject({
    method: 'POST',
    url: `/api/items/${moved.id}/dispositions`,
    headers: who.dukcapil.headers,
    payload: { toOpdId: ids.dpupr, reason: 'Soal jembatan, bukan adminduk' },
  })
  expect(move.statusCode).toBe(200)
})
afterAll(() => t?.close())

describe('the route table', () => {
  it('has every route probed below or listed as public with a reason', () => {
    const table = routeTable(t.app)
    const keys = table.map((r) => `${r.method} ${r.path}`)
    // The listing was read right: known routes of each family are in it.
    expect(keys).toEqual(
      expect.arrayContaining([
        'GET /api/items/:id',
        'POST /api/items/:id/dispositions',
        'GET /api/board',
        'GET /ws',
        'HEAD /api/items/:id',
        'POST /webhooks/meta',
      ]),
    )
    expect(table.filter((r) => !specFor(r)).map((r) => `${r.method} ${r.path}`)).toEqual([])
  })
})

describe('every route, every role', () => {
  const probed = () =>
    routeTable(t.app)
      .map((r) => ({ r, spec: specFor(r)! }))
      .filter(({ spec }) => spec.kind !== 'public')

  it('answers 401 to an anonymous caller on every signed-in route', async () => {
    const wrong: string[] = []
    for (const { r, spec } of probed()) {
      for (const target of spec.kind === 'item' ? [held, moved] : [null]) {
        const res = await t.app.inject(request(r, spec, target, 'anonymous'))
        if (res.statusCode !== 401) wrong.push(`${r.method} ${r.path}: ${res.statusCode}`)
        else if (r.method !== 'HEAD') expect(res.json().error).toMatchObject({ code: 'UNAUTHENTICATED', requestId: expect.any(String) })
      }
    }
    expect(wrong).toEqual([])
  })

  it('answers 403 to signed-in users without the route’s role, and lets its roles in', async () => {
    const wrong: string[] = []
    for (const { r, spec } of probed()) {
      if (spec.kind !== 'user' || !spec.roles) continue
      for (const as of SIGNED_IN) {
        const res = await t.app.inject(request(r, spec, null, as))
        const allowed = spec.roles.includes(ROLE[as])
        // Allowed roles get past the guard: probes carry no body, so a validation or not-found answer is fine here.
        if (allowed ? [401, 403].includes(res.statusCode) || res.statusCode >= 500 : res.statusCode !== 403)
          wrong.push(`${as} ${r.method} ${r.path}: ${res.statusCode}`)
      }
    }
    expect(wrong).toEqual([])
  })

  it('answers 404 on every item route to OPD admins who may not see the item, exactly as for a missing item', async () => {
    const wrong: string[] = []
    for (const { r, spec } of probed()) {
      if (spec.kind !== 'item') continue
      for (const target of [held, moved]) {
        for (const as of ['dishub', 'dukcapil'] as const) {
          const res = await t.app.inject(request(r, spec, target, as))
          const none = await t.app.inject(request(r, spec, { ...target, id: MISSING }, as))
          if (res.statusCode !== 404 || none.statusCode !== 404)
            wrong.push(`${as} ${r.method} ${r.path} (${target.name}): ${res.statusCode}, missing ${none.statusCode}`)
          else if (r.method !== 'HEAD') expect(res.json().error.message).toBe(none.json().error.message)
        }
      }
    }
    expect(wrong).toEqual([])
    // The probes changed nothing: both items are still with DPUPR, open, unanswered.
    for (const target of [held, moved])
      expect(rows(t, 'SELECT opd_id, status FROM items WHERE id = ?', target.id)[0]).toEqual({ opd_id: ids.dpupr, status: 'open' })
    expect(rows(t, 'SELECT id FROM replies')).toEqual([])
  })

  it('never shows a wrong actor the citizen’s name, text or tracking code, on any route, public ones included', async () => {
    const leaks: string[] = []
    for (const r of routeTable(t.app)) {
      const spec = specFor(r)!
      for (const as of spec.kind === 'public' ? (['anonymous'] as Who[]) : WRONG) {
        for (const target of spec.kind === 'item' ? [held, moved] : [null]) {
          const session = spec.kind === 'user' && spec.freshSession && as !== 'anonymous' ? await signIn(t.app, as) : undefined
          const queries = spec.kind === 'items' ? spec.queries : ['']
          for (const q of queries) {
            const req = request(r, spec, target, as, session)
            const res = await t.app.inject({ ...req, url: `${req.url}${q}` })
            for (const l of leaked(res.body, [held, moved])) leaks.push(`${as} ${r.method} ${req.url}${q} → ${res.statusCode}: ${l}`)
          }
        }
      }
    }
    expect(leaks).toEqual([])
  })

  it('lists the breach of the moved item on its former OPD’s board as that OPD’s, without the item', async () => {
    const board = (await t.app.inject({ url: '/api/board', headers: who.dukcapil.headers })).json() as Board
    const entry = board.breaches.find((b) => b.at === movedBreachAt && b.opd.id === ids.dukcapil)
    expect(entry).toEqual({ at: movedBreachAt, opd: expect.objectContaining({ id: ids.dukcapil, code: 'disdukcapil' }), item: null, ref: expect.any(Number) })
    expect(board.breaches.some((b) => b.item?.id === moved.id || b.item?.id === held.id)).toBe(false)
    // Its tile counts only what Disdukcapil holds now.
    expect(board.tiles.map((x) => x.opd.code)).toEqual(['disdukcapil'])
    expect(board.tiles[0]).toMatchObject({ open: 0, breached: 0 })
    // The supervisor sees both breaches with their items.
    const all = (await t.app.inject({ url: '/api/board', headers: who.prokompim.headers })).json() as Board
    expect(all.breaches.find((b) => b.at === movedBreachAt && b.opd.id === ids.dukcapil)?.item).toMatchObject({
      id: moved.id,
      citizenName: 'Ratna Kusumawati',
      opd: { id: ids.dpupr },
    })
    expect(all.breaches.some((b) => b.item?.id === held.id)).toBe(true)
  })

  it('gives the right actors every item route and list (the controls: each probe above could fail)', async () => {
    const wrong: string[] = []
    const check = async (r: Route, spec: Spec, as: User, target: Target | null, content: Target[]) => {
      const res = await t.app.inject(request(r, spec, target, as))
      const label = `${as} ${r.method} ${r.path}${target ? ` (${target.name})` : ''}`
      if (res.statusCode >= 300) return void wrong.push(`${label}: ${res.statusCode}`)
      if (r.method === 'HEAD') return
      const missing = content.flatMap((x) => x.secrets.filter((s) => !res.body.includes(s)))
      if (missing.length) wrong.push(`${label}: without ${missing.join(', ')}`)
    }
    const routes = probed()
    for (const { r, spec } of routes) {
      if (spec.kind === 'items' && r.path === '/api/items') for (const as of RIGHT) await check(r, spec, as, null, [held, moved])
      if (spec.kind === 'user' && !spec.roles && !spec.freshSession) for (const as of SIGNED_IN) await check(r, spec, as, null, [])
    }
    // The board lists breaches for the OPD charged with them: DPUPR its own, the supervisors all.
    const board: Route = { method: 'GET', path: '/api/board' }
    for (const as of ['prokompim', 'superadmin'] as const) await check(board, SPECS['GET /api/board']!, as, null, [held, moved])
    await check(board, SPECS['GET /api/board']!, 'dpupr', null, [held])
    // Item routes, the one that moves the item last: it hands the item on from actor to actor.
    const moves = (x: { spec: Spec }) => Number(x.spec.kind === 'item' && x.spec.movesItem === true)
    for (const { r, spec } of routes.filter((x) => x.spec.kind === 'item').sort((x, y) => moves(x) - moves(y))) {
      for (const target of [held, moved]) {
        // A reply answers with the reply, not the item.
        for (const as of RIGHT) await check(r, spec, as, target, r.path.endsWith('/replies') ? [] : [target])
      }
    }
    expect(wrong).toEqual([])
  })
})

describe('the websocket', () => {
  let url: string
  let clock: { now: number }
  let w: TestApp
  beforeAll(async () => {
    clock = { now: wib('2026-11-23T09:00:00') }
    w = await createTestApp({ clock: () => clock.now, runScheduler: false })
    await w.app.listen({ host: '127.0.0.1', port: 0 })
    url = `ws://127.0.0.1:${(w.app.server.address() as { port: number }).port}/ws`
  })
  afterAll(() => w?.close())

  it('sends nothing of an item moved away to its former OPD: later updates, warnings and breaches go to the new one', async () => {
    const a = await signIn(w.app, 'dukcapil')
    const b = await signIn(w.app, 'dpupr')
    const sockets = { a: await listen(url, a), b: await listen(url, b), sup: await listen(url, await signIn(w.app, 'prokompim')) }
    const code = (await askQuestion(w.app, { name: 'Sri Wahyuni', text: 'KTP elektronik saya rusak RAHASIASOKET', topic: 'adminduk' })).json()
      .trackingCode as string
    const created = await eventually(() => sockets.a.frames.find((f) => f.type === 'item.created'))
    const itemId = created.type === 'item.created' ? created.item.id : 0
    const dueAt = rows<{ due_at: number }>(w, 'SELECT due_at FROM items WHERE id = ?', itemId)[0]!.due_at

    // Disdukcapil hands it to DPUPR before its warning point.
    const move = await w.app.inject({
      method: 'POST',
      url: `/api/items/${itemId}/dispositions`,
      headers: a.headers,
      payload: { toOpdId: opdId(w, 'dpupr'), reason: 'Bukan wewenang kami' },
    })
    expect(move.statusCode).toBe(200)
    await eventually(() => sockets.a.frames.some((f) => f.type === 'item.removed' && f.itemId === itemId))
    const after = sockets.a.frames.length

    // Then DPUPR lets it pass warning and due, and answers late; everything goes to DPUPR and the supervisor.
    clock.now = dueAt + 60_000
    const fired = w.app.services.scheduler.runOnce()
    expect(
      fired
        .filter((f) => f.itemId === itemId)
        .map((f) => f.type)
        .sort(),
    ).toEqual(['sla.breach', 'sla.warning'])
    const later = await signIn(w.app, 'dpupr')
    expect(
      (
        await w.app.inject({
          method: 'POST',
          url: `/api/items/${itemId}/replies`,
          headers: later.headers,
          payload: { text: 'Mohon maaf terlambat, silakan ke kantor kami.' },
        })
      ).statusCode,
    ).toBe(201)
    for (const s of [sockets.b, sockets.sup]) await eventually(() => s.frames.some((f) => f.type === 'sla.breach' && f.item.id === itemId))

    // Barrier: a later item of Disdukcapil's own reaches its socket after all of that.
    await askQuestion(w.app, { name: 'Warga Slawi', text: 'Jadwal perekaman KTP keliling bulan ini?', topic: 'adminduk' })
    await eventually(() => sockets.a.frames.slice(after).some((f) => f.type === 'item.created' && f.item.id !== itemId))
    const seen = sockets.a.frames.slice(after)
    expect(seen.filter((f) => 'item' in f && f.item.id === itemId)).toEqual([])
    expect(leaked(JSON.stringify(seen), [{ name: 'moved', id: itemId, secrets: ['Sri Wahyuni', 'RAHASIASOKET', code] }])).toEqual([])
    for (const s of Object.values(sockets)) s.ws.close()
  })
})

describe('the websocket in redis mode', () => {
  const prefix = runPrefix()
  requireRedis('the websocket isolation test', prefix)
  let r: TestApp

  afterAll(() => r?.close())

  it('drops an event taken before a move that overtakes it from another process, and tells the former OPD to drop the item', async () => {
    r = await createTestApp({ redis: { url: REDIS_URL, prefix } })
    await r.app.listen({ host: '127.0.0.1', port: 0 })
    const url = `ws://127.0.0.1:${(r.app.server.address() as { port: number }).port}/ws`
    const a = await signIn(r.app, 'dukcapil')
    const sockets = { a: await listen(url, a), b: await listen(url, await signIn(r.app, 'dpupr')) }
    const code = (await askQuestion(r.app, { name: 'Joko Prasetyo', text: 'Surat pindah domisili belum terbit RAHASIAREDIS', topic: 'adminduk' })).json()
      .trackingCode as string
    const created = await eventually(() => sockets.a.frames.find((f) => f.type === 'item.created'), 10_000)
    if (created.type !== 'item.created') throw new Error('unreachable')
    // A summary of the item as it was in Disdukcapil, as a worker process could have published it.
    const snapshot = created.item
    await askQuestion(r.app, { name: 'Warga Adiwerna', text: 'Syarat KIA untuk anak?', topic: 'adminduk' })
    const own = await eventually(() => sockets.a.frames.find((f) => f.type === 'item.created' && f.item.id !== snapshot.id), 10_000)
    if (own.type !== 'item.created') throw new Error('unreachable')

    const move = await r.app.inject({
      method: 'POST',
      url: `/api/items/${snapshot.id}/dispositions`,
      headers: a.headers,
      payload: { toOpdId: opdId(r, 'dpupr'), reason: 'Bukan wewenang kami' },
    })
    expect(move.statusCode).toBe(200)
    await eventually(() => sockets.b.frames.some((f) => f.type === 'item.updated' && f.item.id === snapshot.id), 10_000)
    await eventually(() => sockets.a.frames.some((f) => f.type === 'item.removed' && f.itemId === snapshot.id), 10_000)
    const after = sockets.a.frames.length

    // The stale events arrive late, over Redis from another process, followed (same connection,
    // so in order) by an update of Disdukcapil's own item: the barrier.
    const other = await createEventBus({ redisUrl: REDIS_URL, redisPrefix: prefix })
    const stale: ServerEvent[] = [
      { type: 'item.updated', item: snapshot },
      { type: 'sla.warning', item: snapshot, at: snapshot.firstMessageAt + 1000 },
      { type: 'sla.breach', item: snapshot, at: snapshot.firstMessageAt + 2000, opdId: snapshot.opd.id },
    ]
    for (const e of stale) other.publish(e)
    other.publish({ type: 'item.updated', item: own.item })
    await eventually(() => sockets.a.frames.slice(after).some((f) => f.type === 'item.updated' && f.item.id === own.item.id), 10_000)
    await other.close()

    const seen = sockets.a.frames.slice(after)
    expect(seen.filter((f) => 'item' in f && f.item.id === snapshot.id)).toEqual([])
    expect(leaked(JSON.stringify(seen), [{ name: 'moved', id: snapshot.id, secrets: ['Joko Prasetyo', 'RAHASIAREDIS', code] }])).toEqual([])
    // What it got instead: drop the item (again).
    expect(seen.filter((f) => f.type === 'item.removed').map((f) => f.type === 'item.removed' && f.itemId)).toEqual([snapshot.id, snapshot.id, snapshot.id])
    for (const s of Object.values(sockets)) s.ws.close()
  })
})

async function listen(url: string, as: SignedIn): Promise<{ frames: ServerFrame[]; ws: WebSocket }> {
  const ws = new WebSocket(url, { headers: { cookie: as.cookie } })
  const frames: ServerFrame[] = []
  ws.on('message', (data) => frames.push(JSON.parse(String(data)) as ServerFrame))
  await eventually(() => frames.some((f) => f.type === 'hello'))
  return { frames, ws }
}
