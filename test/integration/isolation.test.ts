// An OPD admin never sees or touches another OPD's items: every item route answers 404 exactly as
// for an item that does not exist, and websocket events of other OPDs never reach them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import type { ServerFrame } from '@tanggap/shared'
import { askQuestion, createTestApp, eventually, opdId, signIn, type SignedIn, type TestApp } from '../helpers/app.ts'

let t: TestApp
let dukcapil: SignedIn
let dpupr: SignedIn
let supervisor: SignedIn
let itemId: number
let dpuprId: number

beforeAll(async () => {
  t = await createTestApp()
  dukcapil = await signIn(t.app, 'dukcapil')
  dpupr = await signIn(t.app, 'dpupr')
  supervisor = await signIn(t.app, 'prokompim')
  await askQuestion(t.app, { name: 'Siti', text: 'Akta kelahiran anak saya kapan jadi?', topic: 'adminduk' })
  await t.jobs.idle()
  dpuprId = opdId(t, 'dpupr')
  itemId = (t.db.$client.prepare('SELECT id FROM items').get() as { id: number }).id
})
afterAll(() => t.close())

const routes = (id: number) => [
  { method: 'GET' as const, url: `/api/items/${id}` },
  { method: 'POST' as const, url: `/api/items/${id}/replies`, payload: { text: 'Balasan dari OPD lain' } },
  { method: 'POST' as const, url: `/api/items/${id}/status`, payload: { status: 'closed' } },
  { method: 'POST' as const, url: `/api/items/${id}/dispositions`, payload: { toOpdId: dpuprId, reason: 'Ambil alih' } },
]

describe('OPD isolation', () => {
  it.each(routes(1).map((r) => [r.method, r.url.replace('/1', '/:id')]))(
    '%s %s answers 404 for another OPD’s item, like a missing one',
    async (method, pattern) => {
      const route = routes(itemId).find((r) => r.method === method && r.url.replace(`/${itemId}`, '/:id') === pattern)!
      const missing = routes(999_999).find((r) => r.method === method && r.url.replace('/999999', '/:id') === pattern)!
      const other = await t.app.inject({ ...route, headers: dpupr.headers })
      const none = await t.app.inject({ ...missing, headers: dpupr.headers })
      expect(other.statusCode).toBe(404)
      expect(none.statusCode).toBe(404)
      expect(other.json().error.code).toBe(none.json().error.code)
      expect(other.json().error.message).toBe(none.json().error.message)
    },
  )

  it('left the item untouched after those attempts', async () => {
    const detail = (await t.app.inject({ url: `/api/items/${itemId}`, headers: dukcapil.headers })).json()
    expect(detail.item.status).toBe('open')
    expect(detail.item.opd.code).toBe('disdukcapil')
    expect(detail.replies).toHaveLength(0)
  })

  it('lists only the admin’s own OPD, even when filtering for another', async () => {
    const own = (await t.app.inject({ url: '/api/items', headers: dukcapil.headers })).json()
    const other = (await t.app.inject({ url: '/api/items', headers: dpupr.headers })).json()
    const asked = (await t.app.inject({ url: `/api/items?opd=${opdId(t, 'disdukcapil')}`, headers: dpupr.headers })).json()
    expect(own.items.map((i: { id: number }) => i.id)).toEqual([itemId])
    expect(other.items).toEqual([])
    expect(asked.items).toEqual([])
  })

  it('lets the supervisor see every OPD', async () => {
    const res = (await t.app.inject({ url: `/api/items/${itemId}`, headers: supervisor.headers })).json()
    expect(res.item.id).toBe(itemId)
  })
})

describe('websocket isolation', () => {
  let url: string
  beforeAll(async () => {
    await t.app.listen({ host: '127.0.0.1', port: 0 })
    const addr = t.app.server.address() as { port: number }
    url = `ws://127.0.0.1:${addr.port}/ws`
  })

  const connect = (who: SignedIn) =>
    new Promise<{ frames: ServerFrame[]; ws: WebSocket }>((resolve, reject) => {
      const ws = new WebSocket(url, { headers: { cookie: who.cookie } })
      const frames: ServerFrame[] = []
      ws.on('message', (data) => {
        const frame = JSON.parse(String(data)) as ServerFrame
        frames.push(frame)
        if (frame.type === 'hello') resolve({ frames, ws })
      })
      ws.on('error', reject)
    })

  it('refuses a socket without a session', async () => {
    const status = await new Promise<number>((resolve) => {
      const ws = new WebSocket(url)
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0))
      ws.on('open', () => resolve(101))
    })
    expect(status).toBe(401)
  })

  // Refused before the upgrade, with the usual error body.
  const refusal = (headers: Record<string, string>) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const ws = new WebSocket(url, { headers })
      ws.on('unexpected-response', (_req, res) => {
        let body = ''
        res.on('data', (chunk) => (body += chunk))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
      })
      ws.on('open', () => {
        ws.close()
        resolve({ status: 101, body: '' })
      })
      ws.on('error', (err) => (err.message.includes('Unexpected server response') ? undefined : reject(err)))
    })

  it.each(['null', 'http://', 'not a url', 'https://evil.example'])(
    'refuses a signed-in socket whose Origin is %j with 403 and the usual error body',
    async (origin) => {
      const res = await refusal({ cookie: dukcapil.cookie, origin })
      expect(res.status).toBe(403)
      expect(JSON.parse(res.body).error).toEqual({ code: 'FORBIDDEN', message: 'Cross-origin websocket refused', requestId: expect.any(String) })
    },
  )

  it('opens a socket from its own origin', async () => {
    const res = await refusal({ cookie: dukcapil.cookie, origin: new URL(url).origin.replace('ws:', 'http:') })
    expect(res.status).toBe(101)
  })

  it('pushes an item only to users allowed to see its OPD', async () => {
    const own = await connect(dukcapil)
    const other = await connect(dpupr)
    const sup = await connect(supervisor)
    await askQuestion(t.app, { name: 'Dewi', text: 'Cara cetak ulang KK yang hilang gimana min?', topic: 'adminduk' })
    await eventually(() => own.frames.some((f) => f.type === 'item.created') && sup.frames.some((f) => f.type === 'item.created'))
    // Barrier: DPUPR's own item, asked later, reaches DPUPR's socket after anything about the first.
    await askQuestion(t.app, { name: 'Yanto', text: 'Jalan di Pangkah berlubang besar', topic: 'jalan' })
    await eventually(() => other.frames.some((f) => f.type === 'item.created'))
    expect(other.frames.map((f) => (f.type === 'item.created' ? f.item.citizenName : f.type))).toEqual(['hello', 'Yanto'])

    // A disposition to DPUPR: the new OPD receives the item, the old one is told to drop it.
    const created = own.frames.find((f) => f.type === 'item.created')!
    const id = created.type === 'item.created' ? created.item.id : 0
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/items/${id}/dispositions`,
      headers: dukcapil.headers,
      payload: { toOpdId: dpuprId, reason: 'Bukan wewenang, soal jalan' },
    })
    expect(res.statusCode).toBe(200)
    await eventually(() => other.frames.some((f) => f.type === 'item.updated' && f.item.id === id))
    await eventually(() => own.frames.some((f) => f.type === 'item.removed'))
    expect(own.frames.filter((f) => f.type === 'item.updated')).toHaveLength(0)
    for (const c of [own, other, sup]) c.ws.close()
  })
})
