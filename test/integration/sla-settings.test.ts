// Editing policies and calendars moves open clocks from now on and leaves finished periods alone;
// the live board counts what awaits each OPD.
import { afterEach, describe, expect, it } from 'vitest'
import { addWorking, defaultCalendar } from '@tanggap/shared'
import { askQuestion, createTestApp, eventually, opdId, signIn, type SignedIn, type TestApp } from '../helpers/app.ts'
import { rows } from '../helpers/webhooks.ts'

const apps: TestApp[] = []
afterEach(async () => {
  for (const a of apps.splice(0)) await a.close()
})
const wib = (s: string) => Date.parse(`${s}+07:00`)
const cal = defaultCalendar()

async function setup(start: string) {
  const clock = { now: wib(start) }
  const t = await createTestApp({ clock: () => clock.now, runScheduler: false })
  apps.push(t)
  return { t, clock, superadmin: await signIn(t.app, 'superadmin') }
}

const itemsOf = async (t: TestApp, who: SignedIn) =>
  (await t.app.inject({ url: '/api/items', headers: who.headers })).json().items as { id: number; dueAt: number | null; trackingCode: string }[]

describe('policy and calendar edits', () => {
  it('moves open clocks from now on and keeps finished periods', async () => {
    const { t, clock, superadmin } = await setup('2026-11-23T08:00:00')
    await askQuestion(t.app, { name: 'A', text: 'Pertanyaan pertama tentang KTP', topic: 'adminduk' })
    await askQuestion(t.app, { name: 'B', text: 'Pertanyaan kedua tentang KK', topic: 'adminduk' })
    const admin = await signIn(t.app, 'dukcapil')
    const [second, first] = await eventually(async () => ((await itemsOf(t, admin)).length === 2 ? itemsOf(t, admin) : null))
    clock.now = wib('2026-11-23T08:20:00')
    await t.app.inject({ method: 'POST', url: `/api/items/${first!.id}/replies`, headers: admin.headers, payload: { text: 'Sudah dijawab' } })
    await t.jobs.idle()
    const answeredBefore = rows(t, 'SELECT due_at, response_seconds FROM sla_periods WHERE item_id = ?', first!.id)

    // 08:30: the website policy drops to 1 working hour; the open question has used 30 minutes.
    clock.now = wib('2026-11-23T08:30:00')
    const policies = (await t.app.inject({ url: '/api/sla/policies', headers: superadmin.headers })).json() as { id: number; name: string }[]
    const web = policies.find((p) => p.name === 'Pertanyaan situs web')!
    const { id: _id, ...body } = web as Record<string, unknown>
    const res = await t.app.inject({
      method: 'PUT',
      url: `/api/sla/policies/${web.id}`,
      headers: superadmin.headers,
      payload: { ...body, firstResponseSeconds: 3600 },
    })
    expect(res.statusCode).toBe(200)
    const moved = (await itemsOf(t, admin)).find((i) => i.id === second!.id)!
    expect(moved.dueAt).toBe(wib('2026-11-23T09:00:00'))
    expect(rows(t, 'SELECT due_at, response_seconds FROM sla_periods WHERE item_id = ?', first!.id)).toEqual(answeredBefore)

    // A calendar edit: Monday afternoon closed as a one-off day off; the remaining 30 minutes move to Tuesday.
    const [work] = (await t.app.inject({ url: '/api/sla/calendars', headers: superadmin.headers })).json() as { id: number; closedDays: string[] }[]
    const { id: calId, ...calBody } = work as unknown as Record<string, unknown> & { closedDays: string[] }
    const put = await t.app.inject({
      method: 'PUT',
      url: `/api/sla/calendars/${calId}`,
      headers: superadmin.headers,
      payload: { ...calBody, closedDays: [...calBody.closedDays, '2026-11-23'] },
    })
    expect(put.statusCode).toBe(200)
    expect((await itemsOf(t, admin)).find((i) => i.id === second!.id)!.dueAt).toBe(wib('2026-11-24T08:00:00'))
    expect(rows(t, "SELECT action FROM audit_log WHERE action LIKE 'policy.%' OR action LIKE 'calendar.%'").map((r) => r.action)).toEqual([
      'policy.update',
      'calendar.update',
    ])
  })

  it('refuses a calendar that makes no sense, and lets only the superadmin edit', async () => {
    const { t, superadmin } = await setup('2026-11-23T08:00:00')
    const [work] = (await t.app.inject({ url: '/api/sla/calendars', headers: superadmin.headers })).json() as Record<string, unknown>[]
    const { id, ...body } = work!
    const bad = await t.app.inject({
      method: 'PUT',
      url: `/api/sla/calendars/${id}`,
      headers: superadmin.headers,
      payload: { ...body, week: [[], [{ start: 600, end: 500 }], [], [], [], [], []] },
    })
    expect(bad.statusCode).toBe(400)
    const tz = await t.app.inject({ method: 'PUT', url: `/api/sla/calendars/${id}`, headers: superadmin.headers, payload: { ...body, timeZone: 'Asia/Tegal' } })
    expect(tz.statusCode).toBe(400)
    const admin = await signIn(t.app, 'dukcapil')
    expect((await t.app.inject({ method: 'PUT', url: `/api/sla/calendars/${id}`, headers: admin.headers, payload: body })).statusCode).toBe(403)
    expect((await t.app.inject({ url: '/api/sla/policies', headers: admin.headers })).statusCode).toBe(403)
    expect((await t.app.inject({ url: '/api/sla/calendars', headers: admin.headers })).statusCode).toBe(200)
  })
})

describe('live board', () => {
  it('counts open, near-due and breached items per OPD with today’s median first response', async () => {
    const { t, clock } = await setup('2026-11-23T08:00:00')
    for (const [text, topic] of [
      ['Jalan rusak di Slawi', 'jalan'],
      ['Jembatan retak di Warureja', 'jalan'],
      ['Lampu PJU mati di Pacul', 'pju'],
    ] as const) {
      await askQuestion(t.app, { name: 'Warga', text, topic })
    }
    const supervisor = await signIn(t.app, 'prokompim')
    await eventually(async () => ((await itemsOf(t, supervisor)).length === 3 ? true : null))
    const dishub = await signIn(t.app, 'dishub')
    const [dishubOwn] = await itemsOf(t, dishub)
    clock.now = wib('2026-11-23T08:45:00')
    await t.app.inject({ method: 'POST', url: `/api/items/${dishubOwn!.id}/replies`, headers: dishub.headers, payload: { text: 'Segera kami perbaiki' } })
    await t.jobs.idle()
    // Past the warning point of the DPUPR questions (75 % of 3 working days), not yet due.
    clock.now = addWorking(cal, wib('2026-11-23T08:00:00'), Math.round(0.8 * 3 * 7.5 * 3600))
    t.app.services.scheduler.runOnce()
    const board = (await t.app.inject({ url: '/api/board', headers: (await signIn(t.app, 'prokompim')).headers })).json()
    const tile = (code: string) => board.tiles.find((x: { opd: { code: string } }) => x.opd.code === code)
    expect(tile('dpupr')).toMatchObject({ open: 2, nearDue: 2, breached: 0 })
    expect(board.tiles[0].opd.code).toBe('dpupr')
    expect(tile('dishub')).toMatchObject({ open: 0, answeredToday: 0 })

    // Due passes: breaches appear in the tile and the feed.
    clock.now = addWorking(cal, wib('2026-11-23T08:00:00'), 3 * 7.5 * 3600) + 1000
    t.app.services.scheduler.runOnce()
    const later = (await t.app.inject({ url: '/api/board', headers: (await signIn(t.app, 'prokompim')).headers })).json()
    expect(later.tiles.find((x: { opd: { code: string } }) => x.opd.code === 'dpupr')).toMatchObject({ open: 2, breached: 2 })
    expect(later.breaches).toHaveLength(2)
    expect(later.breaches[0].opd.code).toBe('dpupr')

    // An OPD admin sees only their own tile; a platform filter narrows the counts.
    const own = (await t.app.inject({ url: '/api/board', headers: (await signIn(t.app, 'dpupr')).headers })).json()
    expect(own.tiles.map((x: { opd: { id: number } }) => x.opd.id)).toEqual([opdId(t, 'dpupr')])
    const wa = (await t.app.inject({ url: '/api/board?platform=whatsapp', headers: (await signIn(t.app, 'prokompim')).headers })).json()
    expect(wa.tiles.every((x: { open: number }) => x.open === 0)).toBe(true)
  })

  it('reports the median first response of answers given today', async () => {
    const { t, clock } = await setup('2026-11-23T08:00:00')
    const dishub = await signIn(t.app, 'dishub')
    const minutes = [10, 30, 50]
    for (const m of minutes) {
      clock.now = wib('2026-11-23T08:00:00')
      await askQuestion(t.app, { name: 'Warga', text: `Lampu jalan mati nomor ${m}`, topic: 'pju' })
      await t.jobs.idle()
      const [latest] = await itemsOf(t, dishub)
      clock.now = wib('2026-11-23T08:00:00') + m * 60_000
      await t.app.inject({ method: 'POST', url: `/api/items/${latest!.id}/replies`, headers: dishub.headers, payload: { text: 'Terima kasih' } })
      await t.jobs.idle()
    }
    const board = (await t.app.inject({ url: '/api/board', headers: dishub.headers })).json()
    expect(board.tiles[0]).toMatchObject({ answeredToday: 3, medianFirstResponseSeconds: 30 * 60, medianFirstResponseWorkingSeconds: 30 * 60 })
  })
})
