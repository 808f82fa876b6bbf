// Nothing lost, nothing doubled: repeated submissions and work interrupted by a restart.
import { afterEach, describe, expect, it } from 'vitest'
import { openTestDb } from '@tanggap/db'
import { askQuestion, createTestApp, eventually, type TestApp } from '../helpers/app.ts'

const count = (t: TestApp, table: string) => (t.db.$client.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n

const apps: TestApp[] = []
afterEach(async () => {
  for (const a of apps.splice(0)) await a.close()
})

describe('idempotency', () => {
  it('gives one item and one tracking code for a form sent twice with one Idempotency-Key', async () => {
    const t = await createTestApp()
    apps.push(t)
    const body = { name: 'Rina', text: 'Kapan bansos PKH tahap 4 cair?', topic: 'bansos' }
    const headers = { 'idempotency-key': 'c8a1f7e2-5b0d-4c7e-9d0a-1f2e3d4c5b6a' }
    const first = await askQuestion(t.app, body, headers)
    const second = await askQuestion(t.app, body, headers)
    expect(first.statusCode).toBe(201)
    expect(second.statusCode).toBe(200)
    expect(second.json().trackingCode).toBe(first.json().trackingCode)
    await t.jobs.idle()
    expect(count(t, 'deliveries')).toBe(1)
    expect(count(t, 'items')).toBe(1)
    expect(count(t, 'messages')).toBe(1)
  })

  it('keeps two submissions without a key apart', async () => {
    const t = await createTestApp()
    apps.push(t)
    const body = { name: 'Rina', text: 'Kapan bansos PKH tahap 4 cair?', topic: 'bansos' }
    await askQuestion(t.app, body)
    await askQuestion(t.app, body)
    await t.jobs.idle()
    expect(count(t, 'items')).toBe(2)
  })
})

describe('restart', () => {
  it('processes a delivery whose job died before finishing, exactly once, after a restart', async () => {
    const file = openTestDb()
    // First life: the question is stored and acknowledged, but the process dies before the job runs.
    const first = await createTestApp({ db: file, runWorkers: false })
    const { trackingCode } = (await askQuestion(first.app, { name: 'Joko', text: 'Sampah di pasar Slawi belum diangkut seminggu', topic: 'sampah' })).json()
    await first.app.close()
    expect(count(first, 'items')).toBe(0)
    expect((first.db.$client.prepare('SELECT state FROM deliveries').get() as { state: string }).state).toBe('pending')

    // Second life on the same database file: leftovers are requeued at start.
    const second = await createTestApp({ db: file })
    apps.push(second)
    await eventually(() => count(second, 'items') === 1)
    // The minute loop (or another process) enqueueing it again changes nothing.
    await second.app.services.deliveries.requeuePending()
    const deliveryId = (second.db.$client.prepare('SELECT id FROM deliveries').get() as { id: number }).id
    await second.app.services.deliveries.process({ actor: { kind: 'system' }, requestId: 'test', log: second.app.log }, deliveryId)
    await second.jobs.idle()
    expect(count(second, 'items')).toBe(1)
    expect(count(second, 'messages')).toBe(1)
    const row = second.db.$client.prepare('SELECT state, tracking_code FROM items JOIN deliveries USING (tracking_code)').get() as {
      state: string
      tracking_code: string
    }
    expect(row).toEqual({ state: 'processed', tracking_code: trackingCode })
    file.close()
  })

  it('sends a reply left pending by a crash after a restart', async () => {
    const file = openTestDb()
    const first = await createTestApp({ db: file })
    await askQuestion(first.app, { name: 'Joko', text: 'Lampu bangjo di Pacul mati', topic: 'pju' })
    await first.jobs.idle()
    const itemId = (first.db.$client.prepare('SELECT id FROM items').get() as { id: number }).id
    await first.app.close()
    // A reply row written, its send job lost with the process.
    first.db.$client
      .prepare(
        "INSERT INTO replies (item_id, user_id, text, created_at) VALUES (?, (SELECT id FROM users WHERE username = 'dishub'), 'Segera kami perbaiki', ?)",
      )
      .run(itemId, Date.now())

    const second = await createTestApp({ db: file })
    apps.push(second)
    await eventually(() => (second.db.$client.prepare('SELECT state FROM replies').get() as { state: string }).state === 'sent')
    expect((second.db.$client.prepare('SELECT status FROM items').get() as { status: string }).status).toBe('answered')
    expect(count(second, 'messages')).toBe(2)
    file.close()
  })
})
