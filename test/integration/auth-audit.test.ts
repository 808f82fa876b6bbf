// Sign-in, sessions and the audit trail of state changes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { askQuestion, createTestApp, eventually, opdId, signIn, type TestApp } from '../helpers/app.ts'

let t: TestApp
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(() => t.close())

describe('sessions', () => {
  it('sets an httpOnly SameSite cookie and ends the session on logout', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'DUKCAPIL', password: 'tanggap-demo' } })
    expect(res.statusCode).toBe(200)
    const cookie = res.cookies[0]!
    expect(cookie).toMatchObject({ name: 'tanggap_sid', httpOnly: true, sameSite: 'Lax', path: '/' })
    expect(res.json()).toMatchObject({ user: { username: 'dukcapil', role: 'opd_admin' }, opds: [{ code: 'disdukcapil' }] })
    // The database keeps only a hash of the token.
    expect(JSON.stringify(t.db.$client.prepare('SELECT * FROM sessions').all())).not.toContain(cookie.value)

    const headers = { cookie: `tanggap_sid=${cookie.value}`, 'x-csrf-token': res.json().csrfToken }
    expect((await t.app.inject({ url: '/api/auth/session', headers })).statusCode).toBe(200)
    expect((await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers, payload: {} })).statusCode).toBe(204)
    expect((await t.app.inject({ url: '/api/auth/session', headers })).statusCode).toBe(401)
  })

  it('expires sessions after their lifetime', async () => {
    let now = Date.now()
    const short = await createTestApp({ clock: () => now, env: { SESSION_TTL_HOURS: '1' } })
    const s = await signIn(short.app, 'dpupr')
    expect((await short.app.inject({ url: '/api/items', headers: s.headers })).statusCode).toBe(200)
    now += 61 * 60_000
    expect((await short.app.inject({ url: '/api/items', headers: s.headers })).statusCode).toBe(401)
    await short.close()
  })
})

describe('audit log', () => {
  it('records who changed what, when, with before and after', async () => {
    const admin = await signIn(t.app, 'dukcapil')
    await askQuestion(t.app, { name: 'Ahmad', text: 'Kok KIA anak saya belum jadi ya min?', topic: 'adminduk' })
    const item = await eventually(async () => (await t.app.inject({ url: '/api/items', headers: admin.headers })).json().items[0])
    await t.app.inject({ method: 'POST', url: `/api/items/${item.id}/status`, headers: admin.headers, payload: { status: 'closed' } })
    await t.app.inject({
      method: 'POST',
      url: `/api/items/${item.id}/dispositions`,
      headers: admin.headers,
      payload: { toOpdId: opdId(t, 'diskominfo'), reason: 'Permintaan informasi publik' },
    })

    const rows = t.db.$client
      .prepare("SELECT action, actor, user_id AS userId, before, after, at FROM audit_log WHERE entity = 'item' AND entity_id = ? ORDER BY id")
      .all(String(item.id)) as {
      action: string
      actor: string
      userId: number | null
      before: string | null
      after: string | null
      at: number
    }[]
    expect(rows.map((r) => r.action)).toEqual(['item.create', 'item.close', 'item.dispose'])
    expect(rows[0]).toMatchObject({ actor: 'system', userId: null })
    expect(rows[1]).toMatchObject({
      actor: `user:${rows[1]!.userId}`,
      before: '{"status":"open","excludedReason":null}',
      after: '{"status":"closed","excludedReason":null}',
    })
    expect(JSON.parse(rows[2]!.before!)).toEqual({ opdId: opdId(t, 'disdukcapil') })
    expect(JSON.parse(rows[2]!.after!)).toMatchObject({ opdId: opdId(t, 'diskominfo'), reason: 'Permintaan informasi publik' })
    for (const r of rows) expect(Math.abs(r.at - Date.now())).toBeLessThan(60_000)

    const handoff = t.db.$client.prepare('SELECT from_opd_id AS fromOpd, to_opd_id AS toOpd, reason FROM dispositions WHERE item_id = ?').get(item.id)
    expect(handoff).toEqual({ fromOpd: opdId(t, 'disdukcapil'), toOpd: opdId(t, 'diskominfo'), reason: 'Permintaan informasi publik' })
    // After the hand-off the former OPD no longer sees it.
    expect((await t.app.inject({ url: `/api/items/${item.id}`, headers: admin.headers })).statusCode).toBe(404)
  })
})

describe('health and docs', () => {
  it('answers liveness, readiness and serves the OpenAPI document', async () => {
    expect((await t.app.inject({ url: '/healthz' })).json()).toEqual({ status: 'ok' })
    expect((await t.app.inject({ url: '/readyz' })).json()).toEqual({ status: 'ok', checks: { database: 'ok' } })
    const doc = (await t.app.inject({ url: '/docs/json' })).json()
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/public/questions', '/api/items', '/api/items/{id}/replies']))
  })
})
