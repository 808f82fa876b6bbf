// The first full loop over HTTP: website question → routed item → answer → status page.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { askQuestion, createTestApp, eventually, signIn, type TestApp } from '../helpers/app.ts'

let t: TestApp
beforeEach(async () => {
  t = await createTestApp()
})
afterEach(() => t.close())

describe('website question to answer', () => {
  it('routes a question by topic, lets that OPD answer, shows the answer on the status page and records the first response time', async () => {
    const asked = await askQuestion(t.app, {
      name: 'Siti Aminah',
      contact: '0812-3456-7890',
      text: 'Min, blangko KTP-el di Slawi sudah ada belum ya? 🙏',
      topic: 'adminduk',
    })
    expect(asked.statusCode).toBe(201)
    const { trackingCode, statusUrl } = asked.json()
    expect(trackingCode).toMatch(/^[2-9A-Z]{4}-[2-9A-Z]{4}$/)
    expect(statusUrl).toBe(`/lacak/${trackingCode}`)

    const admin = await signIn(t.app, 'dukcapil')
    const list = await eventually(async () => {
      const res = await t.app.inject({ url: '/api/items', headers: admin.headers })
      return res.json().items.length ? res.json() : null
    })
    const item = list.items[0]
    expect(item).toMatchObject({ platform: 'website', kind: 'form', status: 'open', citizenName: 'Siti Aminah', trackingCode, opd: { code: 'disdukcapil' } })
    expect(item.awaitingSince).toBeTypeOf('number')

    const detail = (await t.app.inject({ url: `/api/items/${item.id}`, headers: admin.headers })).json()
    expect(detail.messages).toHaveLength(1)
    expect(detail.messages[0].text).toBe('Min, blangko KTP-el di Slawi sudah ada belum ya? 🙏')
    expect(detail.citizenContact).toBe('0812-3456-7890')

    const before = (await t.app.inject({ url: `/api/public/questions/${trackingCode}` })).json()
    expect(before).toMatchObject({ status: 'open', opdName: 'Dinas Kependudukan dan Pencatatan Sipil', answers: [] })

    const replied = await t.app.inject({
      method: 'POST',
      url: `/api/items/${item.id}/replies`,
      headers: admin.headers,
      payload: { text: 'Blangko sudah tersedia, silakan datang ke kantor kecamatan.' },
    })
    expect(replied.statusCode).toBe(201)
    expect(replied.json()).toMatchObject({ state: 'pending', authorName: 'Admin Disdukcapil' })

    const status = await eventually(async () => {
      const s = (await t.app.inject({ url: `/api/public/questions/${trackingCode.toLowerCase()}` })).json()
      return s.answers.length ? s : null
    })
    expect(status.status).toBe('answered')
    expect(status.answers[0].text).toBe('Blangko sudah tersedia, silakan datang ke kantor kecamatan.')
    // The status page never shows the citizen's contact or the admin's name.
    expect(JSON.stringify(status)).not.toContain('0812')
    expect(JSON.stringify(status)).not.toContain('Admin Disdukcapil')

    const after = (await t.app.inject({ url: `/api/items/${item.id}`, headers: admin.headers })).json()
    expect(after.item.status).toBe('answered')
    expect(after.item.awaitingSince).toBeNull()
    expect(after.replies[0].state).toBe('sent')
    expect(after.firstResponseAt).toBe(after.replies[0].sentAt)
    expect(after.item.firstResponseSeconds).toBe(Math.round((after.firstResponseAt - item.awaitingSince) / 1000))
    expect(after.messages.map((m: { direction: string }) => m.direction)).toEqual(['in', 'out'])
  })

  it('measures the first response from the citizen’s question, not from when the admin looked', async () => {
    let now = Date.parse('2026-11-23T02:00:00Z')
    await t.close()
    t = await createTestApp({ clock: () => now })
    const { trackingCode } = (await askQuestion(t.app, { name: 'Budi', text: 'Jalan di Adiwerna berlubang besar, kapan diperbaiki?', topic: 'jalan' })).json()
    const admin = await signIn(t.app, 'dpupr')
    const item = await eventually(async () => (await t.app.inject({ url: '/api/items', headers: admin.headers })).json().items[0])
    now += 90 * 60_000
    await t.app.inject({
      method: 'POST',
      url: `/api/items/${item.id}/replies`,
      headers: admin.headers,
      payload: { text: 'Terima kasih, tim kami akan meninjau lokasi.' },
    })
    const answered = await eventually(async () => {
      const d = (await t.app.inject({ url: `/api/items/${item.id}`, headers: admin.headers })).json()
      return d.firstResponseAt ? d : null
    })
    expect(answered.item.firstResponseSeconds).toBe(90 * 60)
    expect(trackingCode).toBe(answered.item.trackingCode)
  })

  it('sends a question without a topic to the supervising unit’s triage', async () => {
    await askQuestion(t.app, { name: 'Warga Talang', text: 'Mau tanya, kalau mau urus surat pindah ke mana ya?' })
    const supervisor = await signIn(t.app, 'prokompim')
    const item = await eventually(async () => (await t.app.inject({ url: '/api/items', headers: supervisor.headers })).json().items[0])
    expect(item.opd.code).toBe('prokompim')
  })

  it('shows a question as received before its job has run', async () => {
    await t.close()
    t = await createTestApp({ runWorkers: false })
    const { trackingCode } = (await askQuestion(t.app, { name: 'Ani', text: 'Apakah pendaftaran SPMB sudah dibuka?', topic: 'pendidikan' })).json()
    const status = (await t.app.inject({ url: `/api/public/questions/${trackingCode}` })).json()
    expect(status).toMatchObject({ status: 'received', question: 'Apakah pendaftaran SPMB sudah dibuka?', opdName: null })
  })

  it('keeps the question byte for byte as delivered', async () => {
    const text = 'Pak, lampu PJU di Jl. Raya Banjaran mati 3 hari 😡 — mohon dibenerin. Ñandú “kutip”'
    const { trackingCode } = (await askQuestion(t.app, { name: 'Dédé Ñ', text, topic: 'pju' })).json()
    const raw = t.db.$client.prepare('SELECT raw_body FROM deliveries WHERE tracking_code = ?').get(trackingCode) as { raw_body: Buffer }
    expect(JSON.parse(raw.raw_body.toString('utf8')).text).toBe(text)
    const admin = await signIn(t.app, 'dishub')
    const item = await eventually(async () => (await t.app.inject({ url: '/api/items', headers: admin.headers })).json().items[0])
    expect(item.preview).toBe(text)
    expect(item.citizenName).toBe('Dédé Ñ')
  })
})
