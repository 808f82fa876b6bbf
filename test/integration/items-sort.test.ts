// The inbox order: GET /api/items?sort=urgency (the default) lists items with a running due time
// first, earliest due first (breached ones lead), then the rest newest first; sort=newest by id.
// Paging walks either order exactly once, a cursor only continues its own order, and an OPD admin
// still sees only their own OPD's items.
import { afterEach, describe, expect, it } from 'vitest'
import { compareUrgency, type ItemSummary } from '@tanggap/shared'
import { askQuestion, createTestApp, opdId, signIn, type SignedIn, type TestApp } from '../helpers/app.ts'

const apps: TestApp[] = []
afterEach(async () => {
  for (const a of apps.splice(0)) await a.close()
})

const wib = (s: string) => Date.parse(`${s}+07:00`)

interface Page {
  items: ItemSummary[]
  nextCursor: string | null
}

async function list(t: TestApp, who: SignedIn, query = ''): Promise<Page> {
  const res = await t.app.inject({ url: `/api/items${query ? `?${query}` : ''}`, headers: who.headers })
  expect(res.statusCode, res.body).toBe(200)
  return res.json() as Page
}

/** Every page with limit=1, following nextCursor to the end. */
async function walk(t: TestApp, who: SignedIn, sort?: 'urgency' | 'newest'): Promise<number[]> {
  const ids: number[] = []
  let cursor: string | null = null
  for (let i = 0; i < 50; i++) {
    const q = new URLSearchParams({ limit: '1' })
    if (sort) q.set('sort', sort)
    if (cursor) q.set('cursor', cursor)
    const page = await list(t, who, q.toString())
    expect(page.items.length).toBeLessThanOrEqual(1)
    ids.push(...page.items.map((x) => x.id))
    cursor = page.nextCursor
    if (!cursor) return ids
  }
  throw new Error('paging did not end')
}

/**
 * Monday 23 Nov 2026, working hours. Website questions are due in 3 working days on the default
 * calendar; a 1-hour 24/7 policy is added for DPUPR's, so a later question can be due first.
 */
async function scenario() {
  const clock = { now: wib('2026-11-23T08:00:00') }
  const t = await createTestApp({ clock: () => clock.now, runScheduler: false })
  apps.push(t)
  t.db.$client
    .prepare(`INSERT INTO sla_policies (name, position, conditions, calendar_id, first_response_seconds, next_response_seconds, updated_at)
    VALUES ('DPUPR 1 jam', 0, ?, (SELECT id FROM calendars WHERE always_open = 1), 3600, 3600, 0)`)
    .run(JSON.stringify({ kinds: ['form'], opdIds: [opdId(t, 'dpupr')] }))
  t.app.services.sla.changed()

  const ask = async (at: string, name: string, text: string, topic?: string) => {
    clock.now = wib(at)
    const res = await askQuestion(t.app, { name, text, ...(topic ? { topic } : {}) })
    expect(res.statusCode).toBe(201)
    await t.jobs.idle()
    const code = res.json().trackingCode as string
    return (t.db.$client.prepare('SELECT id FROM items WHERE tracking_code = ?').get(code) as { id: number }).id
  }
  const a = await ask('2026-11-23T08:00:00', 'Ani', 'Bagaimana cara membuat KTP elektronik?', 'adminduk')
  const b = await ask('2026-11-23T08:10:00', 'Budi', 'Jalan di Desa Kalisoka rusak parah', 'jalan')
  const c = await ask('2026-11-23T08:20:00', 'Citra', 'Bagaimana cara mengurus kartu keluarga baru?', 'adminduk')
  const d = await ask('2026-11-23T08:30:00', 'Dedi', 'Saya ingin bertanya tentang layanan pemkab')
  const e = await ask('2026-11-23T08:40:00', 'Eka', 'Akta kelahiran anak saya belum jadi', 'adminduk')
  // Asked at the same moment as E: the same due time, after E by id.
  const f = await ask('2026-11-23T08:40:00', 'Fajar', 'Bagaimana cara pindah domisili?', 'adminduk')

  const dukcapil = await signIn(t.app, 'dukcapil')
  // A is answered (nothing awaits: no due time); C is closed (its due time no longer counts).
  clock.now = wib('2026-11-23T08:50:00')
  expect(
    (await t.app.inject({ method: 'POST', url: `/api/items/${a}/replies`, headers: dukcapil.headers, payload: { text: 'Silakan datang ke kantor.' } }))
      .statusCode,
  ).toBe(201)
  await t.jobs.idle()
  expect((await t.app.inject({ method: 'POST', url: `/api/items/${c}/status`, headers: dukcapil.headers, payload: { status: 'closed' } })).statusCode).toBe(200)

  // 10:00: B (due 09:10) has breached and still leads.
  clock.now = wib('2026-11-23T10:00:00')
  t.app.services.scheduler.runOnce()
  return { t, clock, ids: { a, b, c, d, e, f }, dukcapil }
}

describe('inbox order', () => {
  it('lists by urgency by default: due first, earliest due first (breached leading), then the rest newest first', async () => {
    const { t, ids } = await scenario()
    const { a, b, c, d, e, f } = ids
    const supervisor = await signIn(t.app, 'prokompim')

    const page = await list(t, supervisor)
    expect(page.items.map((x) => x.id)).toEqual([b, d, e, f, c, a])
    const [first, second, third] = page.items
    expect(first!.breachedAt).toBe(first!.dueAt)
    expect(first!.dueAt).toBe(wib('2026-11-23T09:10:00'))
    expect(second!.dueAt).toBeLessThan(third!.dueAt!)
    expect(page.items[3]!.dueAt).toBe(third!.dueAt)
    // The shared comparator the web app uses to place live frames agrees with the server.
    expect([...page.items].sort(compareUrgency).map((x) => x.id)).toEqual([b, d, e, f, c, a])
    expect((await list(t, supervisor, 'sort=urgency')).items.map((x) => x.id)).toEqual([b, d, e, f, c, a])

    expect((await list(t, supervisor, 'sort=newest')).items.map((x) => x.id)).toEqual([f, e, d, c, b, a])
  })

  it('walks every item exactly once, in order, with limit=1 in both orders', async () => {
    const { t, ids } = await scenario()
    const { a, b, c, d, e, f } = ids
    const supervisor = await signIn(t.app, 'prokompim')
    expect(await walk(t, supervisor)).toEqual([b, d, e, f, c, a])
    expect(await walk(t, supervisor, 'urgency')).toEqual([b, d, e, f, c, a])
    expect(await walk(t, supervisor, 'newest')).toEqual([f, e, d, c, b, a])

    // Pages of three: the first ends inside a tie of due times, the second spans both runs.
    const p1 = await list(t, supervisor, 'limit=3')
    const p2 = await list(t, supervisor, `limit=3&cursor=${p1.nextCursor}`)
    expect([p1, p2].map((p) => p.items.map((x) => x.id))).toEqual([
      [b, d, e],
      [f, c, a],
    ])
    expect(p2.nextCursor).toBeNull()

    // Filters still apply under both orders.
    expect((await list(t, supervisor, 'status=open')).items.map((x) => x.id)).toEqual([b, d, e, f])
  })

  it('keeps OPD isolation under both orders', async () => {
    const { t, ids, dukcapil } = await scenario()
    const { a, b, c, e, f } = ids
    expect(await walk(t, dukcapil)).toEqual([e, f, c, a])
    expect(await walk(t, dukcapil, 'newest')).toEqual([f, e, c, a])
    const dpupr = await signIn(t.app, 'dpupr')
    expect(await walk(t, dpupr)).toEqual([b])
    // Asking for another OPD's items yields none.
    expect((await list(t, dpupr, `opd=${opdId(t, 'disdukcapil')}`)).items).toEqual([])
  })

  it('refuses a cursor from the other order, or a made-up one, with 400 naming cursor', async () => {
    const { t } = await scenario()
    const supervisor = await signIn(t.app, 'prokompim')
    const urgent = (await list(t, supervisor, 'limit=1')).nextCursor!
    const newest = (await list(t, supervisor, 'limit=1&sort=newest')).nextCursor!
    for (const q of [`sort=newest&cursor=${urgent}`, `cursor=${newest}`, `sort=urgency&cursor=${newest}`, 'cursor=bm9uc2Vuc2U', 'sort=oldest']) {
      const res = await t.app.inject({ url: `/api/items?${q}`, headers: supervisor.headers })
      expect(res.statusCode, q).toBe(400)
      expect(res.json().error.code).toBe('VALIDATION')
      if (q.includes('cursor')) expect(res.json().error.fields).toContain('cursor')
    }
  })
})
