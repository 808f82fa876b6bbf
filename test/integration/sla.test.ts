// Response clocks end to end: due times from policies and calendars, breaches fired by the
// scheduler at their moment (once, also after a restart), dispositions that keep the clock,
// exclusions that leave the figures, and breach frames reaching exactly the right sockets.
import { afterEach, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { openTestDb } from '@tanggap/db'
import { addWorking, defaultCalendar, type ServerFrame } from '@tanggap/shared'
import { askQuestion, createTestApp, eventually, opdId, signIn, type SignedIn, type TestApp } from '../helpers/app.ts'
import { rows } from '../helpers/webhooks.ts'

const apps: TestApp[] = []
afterEach(async () => {
  for (const a of apps.splice(0)) await a.close()
})

const wib = (s: string) => Date.parse(`${s}+07:00`)
const WORKING_DAY = 7.5 * 3600

async function appAt(start: string, opts: Parameters<typeof createTestApp>[0] = {}) {
  const clock = { now: wib(start) }
  const t = await createTestApp({ clock: () => clock.now, runScheduler: false, ...opts })
  apps.push(t)
  return { t, clock }
}

async function firstItem(t: TestApp, who: SignedIn) {
  return eventually(async () => (await t.app.inject({ url: '/api/items', headers: who.headers })).json().items[0])
}

const metrics = (t: TestApp, type: string) =>
  rows<{ opd_id: number; at: number; within_sla: number | null; seconds: number | null; working_seconds: number | null }>(
    t,
    'SELECT * FROM metric_events WHERE type = ? ORDER BY id',
    type,
  )

describe('due times', () => {
  it('gives a website question 3 working days on the default calendar, and records the answer in wall-clock and working seconds', async () => {
    // Friday 15:00 WIB: 1.5 h on Friday, 7.5 h on Monday and Tuesday, 6 h on Wednesday (after lunch: 14:30).
    const { t, clock } = await appAt('2026-11-27T15:00:00')
    await askQuestion(t.app, { name: 'Ani', text: 'Bagaimana cara mengurus akta kematian?', topic: 'adminduk' })
    const admin = await signIn(t.app, 'dukcapil')
    const item = await firstItem(t, admin)
    expect(item.dueAt).toBe(addWorking(defaultCalendar(), wib('2026-11-27T15:00:00'), 3 * WORKING_DAY))
    expect(new Date(item.dueAt).toISOString()).toBe(new Date(wib('2026-12-02T14:30:00')).toISOString())
    expect(item.warnAt).toBeLessThan(item.dueAt)

    // Answered on Monday 08:30: 2.5 working hours after the question, 65.5 hours on the wall clock.
    clock.now = wib('2026-11-30T08:30:00')
    const monday = await signIn(t.app, 'dukcapil')
    await t.app.inject({
      method: 'POST',
      url: `/api/items/${item.id}/replies`,
      headers: monday.headers,
      payload: { text: 'Silakan bawa surat keterangan kematian dari desa.' },
    })
    await t.jobs.idle()
    const [m] = metrics(t, 'first_response')
    expect(m).toMatchObject({ opd_id: opdId(t, 'disdukcapil'), within_sla: 1, seconds: 65.5 * 3600, working_seconds: 2.5 * 3600 })
    const after = (await t.app.inject({ url: `/api/items/${item.id}`, headers: monday.headers })).json().item
    expect(after.dueAt).toBeNull()
  })
})

describe('breaches', () => {
  it('records a breach at the due moment, for the OPD holding the item then; a late answer stays a breach', async () => {
    const { t, clock } = await appAt('2026-11-23T09:00:00')
    await askQuestion(t.app, { name: 'Budi', text: 'Jalan di Desa Kalisoka rusak parah sejak lama', topic: 'jalan' })
    const admin = await signIn(t.app, 'dpupr')
    const item = await firstItem(t, admin)
    clock.now = item.dueAt - 1000
    expect(t.app.services.scheduler.runOnce().filter((f) => f.type === 'sla.breach')).toHaveLength(0)
    clock.now = item.dueAt + 5 * 60_000
    const fired = t.app.services.scheduler.runOnce()
    expect(fired.filter((f) => f.type === 'sla.breach')).toEqual([{ type: 'sla.breach', itemId: item.id, at: item.dueAt, opdId: opdId(t, 'dpupr') }])
    expect(t.app.services.scheduler.runOnce()).toEqual([])

    // Days later (a new session: the old one expired), the answer comes.
    const later = await signIn(t.app, 'dpupr')
    await t.app.inject({
      method: 'POST',
      url: `/api/items/${item.id}/replies`,
      headers: later.headers,
      payload: { text: 'Mohon maaf, sudah kami jadwalkan perbaikan.' },
    })
    await t.jobs.idle()
    expect(metrics(t, 'breach')).toHaveLength(1)
    expect(metrics(t, 'breach')[0]!.at).toBe(item.dueAt)
    expect(metrics(t, 'first_response')[0]!.within_sla).toBe(0)
  })

  it('keeps the clock through a disposition and charges the breach to the OPD holding the item at due time', async () => {
    const { t, clock } = await appAt('2026-11-23T09:00:00')
    await askQuestion(t.app, { name: 'Sri', text: 'Lampu jalan di depan balai desa mati seminggu' })
    const supervisor = await signIn(t.app, 'prokompim')
    const item = await firstItem(t, supervisor)
    clock.now += 3600_000
    const moved = await t.app.inject({
      method: 'POST',
      url: `/api/items/${item.id}/dispositions`,
      headers: supervisor.headers,
      payload: { toOpdId: opdId(t, 'dishub'), reason: 'PJU wewenang Dishub' },
    })
    expect(moved.json().dueAt).toBe(item.dueAt)
    expect(metrics(t, 'handoff')[0]).toMatchObject({ opd_id: opdId(t, 'prokompim'), seconds: 3600 })
    clock.now = item.dueAt + 1
    t.app.services.scheduler.runOnce()
    expect(metrics(t, 'breach')[0]!.opd_id).toBe(opdId(t, 'dishub'))
  })

  it('leaves an item closed as spam out of the SLA figures', async () => {
    const { t, clock } = await appAt('2026-11-23T09:00:00')
    await askQuestion(t.app, { name: 'Promo', text: 'Jual followers murah, hubungi kami sekarang' })
    const supervisor = await signIn(t.app, 'prokompim')
    const item = await firstItem(t, supervisor)
    const closed = await t.app.inject({
      method: 'POST',
      url: `/api/items/${item.id}/status`,
      headers: supervisor.headers,
      payload: { status: 'closed', reason: 'spam' },
    })
    expect(closed.json()).toMatchObject({ status: 'closed', excludedReason: 'spam', dueAt: null })
    clock.now = item.dueAt + 3600_000
    t.app.services.scheduler.runOnce()
    expect(metrics(t, 'breach')).toHaveLength(0)
    expect(metrics(t, 'excluded')).toHaveLength(1)
  })

  it('fires each breach that passed while the server was down exactly once after a restart', async () => {
    const file = openTestDb()
    const clock = { now: wib('2026-11-23T09:00:00') }
    const first = await createTestApp({ db: file, clock: () => clock.now, runScheduler: false })
    for (const text of ['Sampah menumpuk di pasar Slawi', 'Got mampet di perumahan Dukuhwaru', 'Jalan berlubang di Adiwerna']) {
      await askQuestion(first.app, { name: 'Warga', text })
    }
    await first.jobs.idle()
    await first.app.close()
    // Website questions are due in 3 working days: by Monday all three have passed due.
    clock.now = wib('2026-11-30T09:00:00')
    // Two schedulers over the same database (a restart, or two processes): still once each.
    const second = await createTestApp({ db: file, clock: () => clock.now })
    const third = await createTestApp({ db: file, clock: () => clock.now })
    apps.push(second, third)
    await eventually(() => rows(second, "SELECT id FROM metric_events WHERE type = 'breach'").length === 3)
    third.app.services.scheduler.runOnce()
    second.app.services.scheduler.runOnce()
    expect(rows(second, "SELECT item_id FROM metric_events WHERE type = 'breach'")).toHaveLength(3)
    expect(rows(second, "SELECT item_id FROM metric_events WHERE type = 'warning'")).toHaveLength(3)
  })
})

describe('breaches reach the screen', () => {
  it('sends the breach frame within one second of due to the supervisor and the owning OPD, never to another OPD', async () => {
    const t = await createTestApp()
    apps.push(t)
    // A 2-second 24/7 policy for website questions, tried first.
    t.db.$client
      .prepare(`INSERT INTO sla_policies (name, position, conditions, calendar_id, first_response_seconds, next_response_seconds, updated_at)
      VALUES ('Uji 2 detik', 0, '{"kinds":["form"]}', (SELECT id FROM calendars WHERE always_open = 1), 2, 2, 0)`)
      .run()
    t.app.services.sla.changed()
    await t.app.listen({ host: '127.0.0.1', port: 0 })
    const url = `ws://127.0.0.1:${(t.app.server.address() as { port: number }).port}/ws`
    const listen = async (who: SignedIn) => {
      const frames: { frame: ServerFrame; at: number }[] = []
      const ws = new WebSocket(url, { headers: { cookie: who.cookie } })
      ws.on('message', (d) => frames.push({ frame: JSON.parse(String(d)), at: Date.now() }))
      await eventually(() => frames.length > 0)
      return { frames, ws }
    }
    const sockets = {
      own: await listen(await signIn(t.app, 'dukcapil')),
      sup: await listen(await signIn(t.app, 'prokompim')),
      other: await listen(await signIn(t.app, 'dpupr')),
    }
    await askQuestion(t.app, { name: 'Warga', text: 'Kapan KTP saya jadi? sudah sebulan', topic: 'adminduk' })
    const breachOf = (f: { frame: ServerFrame }) => f.frame.type === 'sla.breach'
    for (const s of [sockets.own, sockets.sup]) {
      const got = await eventually(() => s.frames.find(breachOf), 6000)
      const frame = got.frame as Extract<ServerFrame, { type: 'sla.breach' }>
      expect(got.at - frame.at).toBeLessThan(1000)
      expect(got.at).toBeGreaterThanOrEqual(frame.at)
    }
    await new Promise((r) => setTimeout(r, 300))
    expect(sockets.other.frames.some(breachOf)).toBe(false)
    expect(sockets.other.frames.some((f) => f.frame.type === 'sla.warning')).toBe(false)
    for (const s of Object.values(sockets)) s.ws.close()
  })
})

describe('resolution clock', () => {
  const wa = (id: string, ts: number, text: string) =>
    JSON.stringify({
      object: 'whatsapp_business_account',
      entry: [
        {
          id: '102290129340398',
          changes: [
            {
              field: 'messages',
              value: {
                messaging_product: 'whatsapp',
                metadata: { display_phone_number: '62283491000', phone_number_id: '106540352242922' },
                contacts: [{ profile: { name: 'Siti Aminah' }, wa_id: '6281226001234' }],
                messages: [{ from: '6281226001234', id, timestamp: String(Math.floor(ts / 1000)), type: 'text', text: { body: text } }],
              },
            },
          ],
        },
      ],
    })

  it('pauses while waiting for the citizen, resumes when they write, and leaves the paused time out of the resolution time', async () => {
    const { t, clock } = await appAt('2026-11-23T08:00:00')
    // A 24/7 policy for direct messages with a 4-hour resolution target that pauses while waiting.
    t.db.$client
      .prepare(`INSERT INTO sla_policies (name, position, conditions, calendar_id, first_response_seconds, next_response_seconds, resolution_seconds, pause_while_waiting, updated_at)
      VALUES ('DM selesai 4 jam', 0, '{"kinds":["dm"]}', (SELECT id FROM calendars WHERE always_open = 1), 3600, 3600, 14400, 1, 0)`)
      .run()
    t.app.services.sla.changed()
    const { signMeta } = await import('../../server/src/connectors/meta/verify.ts')
    const { DEMO_SECRETS } = await import('@tanggap/db/seed')
    const post = async (body: string) => {
      const res = await t.app.inject({
        method: 'POST',
        url: '/webhooks/meta',
        payload: Buffer.from(body),
        headers: { 'content-type': 'application/json', 'x-hub-signature-256': signMeta(DEMO_SECRETS.meta.appSecret, body) },
      })
      expect(res.statusCode).toBe(200)
      await t.jobs.idle()
    }
    const t0 = clock.now
    await post(wa('wamid.a', t0, 'Min, bansos saya belum cair'))
    const item = () =>
      rows<{ id: number; resolution_due_at: number; paused_since: number | null; paused_seconds: number; resolution_breached_at: number | null }>(
        t,
        'SELECT * FROM items',
      )[0]!
    expect(item().resolution_due_at).toBe(t0 + 4 * 3600_000)

    // An hour later staff answer natively in the WhatsApp Business app, asking for her NIK.
    clock.now = t0 + 3600_000
    await post(
      JSON.stringify({
        object: 'whatsapp_business_account',
        entry: [
          {
            id: '102290129340398',
            changes: [
              {
                field: 'smb_message_echoes',
                value: {
                  messaging_product: 'whatsapp',
                  metadata: { display_phone_number: '62283491000', phone_number_id: '106540352242922' },
                  message_echoes: [
                    {
                      from: '62283491000',
                      to: '6281226001234',
                      id: 'wamid.echo',
                      timestamp: String(Math.floor((t0 + 3600_000) / 1000)),
                      type: 'text',
                      text: { body: 'Boleh kirim NIK-nya, Bu?' },
                    },
                  ],
                },
              },
            ],
          },
        ],
      }),
    )
    expect(item().paused_since).toBe(t0 + 3600_000)

    // While paused, the resolution due passes without a breach.
    clock.now = t0 + 5 * 3600_000
    t.app.services.scheduler.runOnce()
    expect(item().resolution_breached_at).toBeNull()

    // The citizen answers 4 hours after our question: the clock resumes, its due moves by the pause.
    await post(wa('wamid.b', t0 + 5 * 3600_000, '3328xxxxxxxx, atas nama Siti'))
    expect(item()).toMatchObject({ paused_since: null, paused_seconds: 4 * 3600, resolution_due_at: t0 + 8 * 3600_000 })

    clock.now = t0 + 6 * 3600_000
    const closed = await t.app.inject({
      method: 'POST',
      url: `/api/items/${item().id}/status`,
      headers: (await signIn(t.app, 'prokompim')).headers,
      payload: { status: 'closed' },
    })
    expect(closed.statusCode).toBe(200)
    expect(metrics(t, 'resolution')[0]).toMatchObject({ seconds: 6 * 3600, working_seconds: 2 * 3600, within_sla: 1 })
  })
})
