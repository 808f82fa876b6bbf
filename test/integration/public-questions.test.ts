// An accepted question never vanishes: what the form accepts is what the job processes, the status
// page answers for every stored question, and an Idempotency-Key belongs to one question.
import { afterEach, describe, expect, it } from 'vitest'
import { askQuestion, createTestApp, eventually, type TestApp } from '../helpers/app.ts'
import { countRows, rows } from '../helpers/webhooks.ts'

const apps: TestApp[] = []
afterEach(async () => {
  for (const a of apps.splice(0)) await a.close()
})
const start = async (opts: Parameters<typeof createTestApp>[0] = {}) => {
  const t = await createTestApp(opts)
  apps.push(t)
  return t
}

const BOM = Buffer.from([0xef, 0xbb, 0xbf])
const postBytes = (t: TestApp, bytes: Buffer, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'POST', url: '/api/public/questions', payload: bytes, headers: { 'content-type': 'application/json', ...headers } })
const status = (t: TestApp, code: string) => t.app.inject({ url: `/api/public/questions/${code}` })

describe('a question whose JSON starts with a byte-order mark', () => {
  it('becomes an item, and its status page and /lacak page answer', async () => {
    const t = await start()
    const json = JSON.stringify({ name: 'Bu Sri', text: 'Jalan di Desa Kalisapu berlubang besar, mohon diperbaiki', topic: 'jalan' })
    const res = await postBytes(t, Buffer.concat([BOM, Buffer.from(json)]))
    expect(res.statusCode).toBe(201)
    const { trackingCode } = res.json()

    await eventually(() => countRows(t, 'items', 'tracking_code = ?', trackingCode) === 1, 5000, 'item made')
    expect(countRows(t, 'deliveries', "state = 'failed'")).toBe(0)
    const page = await status(t, trackingCode)
    expect(page.statusCode).toBe(200)
    expect(page.json()).toMatchObject({
      trackingCode,
      status: 'open',
      question: 'Jalan di Desa Kalisapu berlubang besar, mohon diperbaiki',
      opdName: expect.any(String),
    })
    expect((await t.app.inject({ url: `/lacak/${trackingCode}` })).statusCode).toBe(200)
  })

  it('is refused at the door like any other body the job could not read, and nothing is stored', async () => {
    const t = await start()
    // A name of spaces passes the schema's minLength but is no name: refused here, not in the job.
    const res = await postBytes(t, Buffer.concat([BOM, Buffer.from(JSON.stringify({ name: '   ', text: 'Pertanyaan yang cukup panjang' }))]))
    expect(res.statusCode).toBe(400)
    expect(res.json().error).toMatchObject({ code: 'VALIDATION', fields: ['name'], requestId: expect.any(String) })
    expect(countRows(t, 'deliveries')).toBe(0)
  })
})

describe('the status page of a question without an item', () => {
  it('says "received" while the question waits for its job', async () => {
    const t = await start({ runWorkers: false })
    const { trackingCode } = (await askQuestion(t.app, { name: 'Pak Darto', text: '  Kapan posyandu di RW 03 buka lagi?  ' })).json()
    const page = await status(t, trackingCode)
    expect(page.statusCode).toBe(200)
    expect(page.json()).toMatchObject({ trackingCode, status: 'received', question: 'Kapan posyandu di RW 03 buka lagi?', opdName: null, answers: [] })
    expect((await t.app.inject({ url: `/lacak/${trackingCode}` })).statusCode).toBe(200)
  })

  it('says "received" (never 500) for a question whose processing failed, and /lacak answers', async () => {
    const t = await start({ runWorkers: false })
    // As a version before the byte-order-mark fix left such a question: accepted, then failed in its job.
    const channelId = rows<{ id: number }>(t, "SELECT id FROM channels WHERE platform = 'website'")[0]!.id
    const body = Buffer.concat([BOM, Buffer.from(JSON.stringify({ name: 'Rina', text: 'Bansos PKH tahap 4 kapan cair?' }))])
    t.db.$client
      .prepare(
        "INSERT INTO deliveries (platform, channel_id, dedupe_key, tracking_code, raw_body, state, attempts, error, received_at, processed_at) VALUES ('website', ?, 'website:old', 'ABCD-EFGH', ?, 'failed', 1, 'Unexpected token', ?, ?)",
      )
      .run(channelId, body, Date.now(), Date.now())
    const page = await status(t, 'abcd-efgh')
    expect(page.statusCode).toBe(200)
    expect(page.json()).toMatchObject({ trackingCode: 'ABCD-EFGH', status: 'received', question: 'Bansos PKH tahap 4 kapan cair?', answers: [] })
    expect((await t.app.inject({ url: '/lacak/ABCD-EFGH' })).statusCode).toBe(200)
    expect((await t.app.inject({ url: '/lacak/ABCD-EFGX' })).statusCode).toBe(404)
  })
})

describe('Idempotency-Key', () => {
  const key = { 'idempotency-key': '6f1c2b7e-aaaa-4bbb-8ccc-0123456789ab' }
  const first = { name: 'Rina', text: 'Kapan bansos PKH tahap 4 cair?', topic: 'bansos' }

  it('refuses a used key with another question (422), without giving away the first code', async () => {
    const t = await start()
    const a = await askQuestion(t.app, first, key)
    expect(a.statusCode).toBe(201)
    const b = await askQuestion(t.app, { name: 'Joko', text: 'Sampah di pasar Slawi belum diangkut' }, key)
    expect(b.statusCode).toBe(422)
    expect(b.json().error).toMatchObject({ code: 'IDEMPOTENCY_MISMATCH', message: expect.any(String), requestId: expect.any(String) })
    expect(b.body).not.toContain(a.json().trackingCode)
    await t.jobs.idle()
    expect(countRows(t, 'deliveries')).toBe(1)
    expect(rows<{ text: string }>(t, 'SELECT text FROM messages')).toEqual([{ text: first.text }])
  })

  it('gives the same code for the same question however its JSON is spaced or ordered', async () => {
    const t = await start()
    const a = await askQuestion(t.app, first, key)
    const respaced = Buffer.from(`{\n  "topic" : "bansos",\r\n\t"text":"Kapan bansos PKH tahap 4 cair?",  "name":"Rina"\n}`)
    const b = await postBytes(t, respaced, key)
    expect(b.statusCode).toBe(200)
    expect(b.json().trackingCode).toBe(a.json().trackingCode)
    // A word changed is another question.
    const c = await askQuestion(t.app, { ...first, text: 'Kapan bansos PKH tahap 3 cair?' }, key)
    expect(c.statusCode).toBe(422)
  })

  it('keeps one question per key when requests with the key race', async () => {
    const t = await start()
    const same = await Promise.all(Array.from({ length: 5 }, () => askQuestion(t.app, first, key)))
    expect(same.map((r) => r.statusCode).sort()).toEqual([200, 200, 200, 200, 201])
    expect(new Set(same.map((r) => r.json().trackingCode)).size).toBe(1)

    const otherKey = { 'idempotency-key': 'race-2-0123456789' }
    const mixed = await Promise.all([
      askQuestion(t.app, first, otherKey),
      askQuestion(t.app, { name: 'Joko', text: 'Lampu PJU di Jalan Ahmad Yani mati' }, otherKey),
    ])
    expect(mixed.map((r) => r.statusCode).sort()).toEqual([201, 422])
    await t.jobs.idle()
    expect(countRows(t, 'deliveries')).toBe(2)
    expect(countRows(t, 'items')).toBe(2)
  })

  it('checks a key against a question stored before hashes were kept', async () => {
    const t = await start()
    const a = await askQuestion(t.app, first, key)
    t.db.$client.prepare('UPDATE deliveries SET body_hash = NULL').run()
    const again = await askQuestion(t.app, first, key)
    expect(again.statusCode).toBe(200)
    expect(again.json().trackingCode).toBe(a.json().trackingCode)
    expect((await askQuestion(t.app, { name: 'Joko', text: 'Sampah di pasar Slawi belum diangkut' }, key)).statusCode).toBe(422)
  })
})
