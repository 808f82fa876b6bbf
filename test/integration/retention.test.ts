// Storage that does not grow without end: raw bodies of processed deliveries are emptied after the
// retention period (RAW_BODY_RETENTION_DAYS), while what was made of them, and every body that may
// still be processed, stays.
import { openTestDb } from '@tanggap/db'
import type { FailedDelivery, FlaggedDelivery } from '@tanggap/shared'
import { createHmac } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import { ConfigError } from '../../server/src/config.ts'
import { askQuestion, createTestApp, signIn, testConfig, type TestApp } from '../helpers/app.ts'
import { countRows, DEMO_SECRETS, postRaw, rows } from '../helpers/webhooks.ts'

const DAY = 86_400_000
const T0 = Date.UTC(2026, 10, 2, 2, 0, 0)

const cleanups: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})
async function start(opts: Parameters<typeof createTestApp>[0]): Promise<TestApp> {
  const t = await createTestApp(opts)
  cleanups.push(() => t.close())
  return t
}

interface BodyRow {
  id: number
  platform: string
  state: string
  bytes: number
  pruned_at: number | null
}
const bodies = (t: TestApp) => rows<BodyRow>(t, 'SELECT id, platform, state, length(raw_body) AS bytes, pruned_at FROM deliveries ORDER BY id')

describe('raw body retention', () => {
  it('empties bodies processed more than 30 days ago and keeps recent, pending, failed and flagged ones, items and messages', async () => {
    let now = T0
    const t = await start({ runWorkers: false, clock: () => now })
    const ctx = { actor: { kind: 'system' as const }, requestId: 'test', log: t.app.log }
    const process = (from: number, through: number) => t.app.services.deliveries.process(ctx, from, through, true)
    const key = { 'idempotency-key': 'retention-key-0001' }
    const oldQuestion = { name: 'Bu Sri', text: 'Jalan di Desa Kalisapu berlubang besar, mohon diperbaiki', topic: 'jalan' }

    const old = (await askQuestion(t.app, oldQuestion, key)).json().trackingCode as string
    // A TikTok delivery for an account no channel has: flagged, kept for when the channel is added.
    const tiktok = JSON.stringify({
      client_key: 'aw3k9tanggapdemo',
      event: 'comment.update',
      create_time: Math.floor(now / 1000),
      user_openid: '7300000000000009999',
      content: JSON.stringify({
        comment_id: '7441122334455667788',
        video_id: '7440000000000000123',
        parent_comment_id: '0',
        comment_type: 'comment',
        comment_action: 'insert',
        unique_identifier: 'warga.slawi',
        timestamp: now,
        text: 'Halo min',
        username: 'Warga Slawi',
      }),
    })
    const ts = Math.floor(now / 1000)
    const signature = `t=${ts},s=${createHmac('sha256', DEMO_SECRETS.tiktok.clientSecret!).update(`${ts}.`).update(tiktok).digest('hex')}`
    expect((await postRaw(t, '/webhooks/tiktok', tiktok, { 'TikTok-Signature': signature })).statusCode).toBe(200)
    // A Telegram update whose date is not a time: failed, kept for "process again".
    const telegram = JSON.stringify({ update_id: 990001, message: { message_id: 1, date: 'kemarin', chat: { id: 77, type: 'private' }, text: 'halo' } })
    expect(
      (await postRaw(t, '/webhooks/telegram/7000000001', telegram, { 'x-telegram-bot-api-secret-token': DEMO_SECRETS.telegram.secretToken })).statusCode,
    ).toBe(200)
    await process(1, 3)
    // A question still waiting for its job.
    const waiting = (await askQuestion(t.app, { name: 'Pak Darto', text: 'Kapan posyandu di RW 03 buka lagi?' })).json().trackingCode as string

    now += 31 * DAY
    const recent = (await askQuestion(t.app, { name: 'Rina', text: 'Bansos PKH tahap 4 kapan cair?', topic: 'bansos' })).json().trackingCode as string
    await process(5, 5)
    expect(bodies(t).map((b) => [b.platform, b.state])).toEqual([
      ['website', 'processed'],
      ['tiktok', 'processed'],
      ['telegram', 'failed'],
      ['website', 'pending'],
      ['website', 'processed'],
    ])
    const before = bodies(t)
    const items = countRows(t, 'items')
    const messages = rows(t, 'SELECT id, item_id, text, delivery_id FROM messages ORDER BY id')

    expect(await t.app.services.retention.prune()).toBe(1)
    const after = bodies(t)
    expect(after[0]).toMatchObject({ bytes: 0, pruned_at: now })
    for (const i of [1, 2, 3, 4]) expect(after[i]).toEqual(before[i])
    expect(after.slice(1).every((b) => b.bytes > 0 && b.pruned_at === null)).toBe(true)
    expect(countRows(t, 'items')).toBe(items)
    expect(rows(t, 'SELECT id, item_id, text, delivery_id FROM messages ORDER BY id')).toEqual(messages)
    // A second run finds nothing more.
    expect(await t.app.services.retention.prune()).toBe(0)

    // The citizens' status pages still show their questions.
    expect((await t.app.inject({ url: `/api/public/questions/${old}` })).json()).toMatchObject({ status: 'open', question: oldQuestion.text })
    expect((await t.app.inject({ url: `/api/public/questions/${waiting}` })).json()).toMatchObject({
      status: 'received',
      question: 'Kapan posyandu di RW 03 buka lagi?',
    })
    expect((await t.app.inject({ url: `/api/public/questions/${recent}` })).json()).toMatchObject({ status: 'open' })
    // The superadmin's lists are as they were.
    const admin = await signIn(t.app, 'superadmin')
    expect((await t.app.inject({ url: '/api/admin/deliveries/failed', headers: admin.headers })).json<FailedDelivery[]>()).toEqual([
      expect.objectContaining({ platform: 'telegram' }),
    ])
    expect((await t.app.inject({ url: '/api/admin/deliveries/flagged', headers: admin.headers })).json<FlaggedDelivery[]>()).toEqual([
      expect.objectContaining({ platform: 'tiktok', bytes: before[1]!.bytes }),
    ])
    // The Idempotency-Key is still bound to its question once the body is gone.
    const again = await askQuestion(t.app, oldQuestion, key)
    expect(again.statusCode).toBe(200)
    expect(again.json().trackingCode).toBe(old)
    expect((await askQuestion(t.app, { ...oldQuestion, text: 'Pertanyaan lain sama sekali' }, key)).statusCode).toBe(422)
  }, 60_000)

  it('prunes from the periodic loop at start, a backlog larger than one batch, and never with RAW_BODY_RETENTION_DAYS=0', async () => {
    const file = openTestDb()
    cleanups.push(() => file.close())
    const first = await createTestApp({ db: file, clock: () => T0 })
    const asked = 420
    for (let i = 0; i < asked; i += 60) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(60, asked - i) }, (_, j) =>
          askQuestion(first.app, { name: `Warga ${i + j}`, text: `Pertanyaan nomor ${i + j} tentang layanan` }),
        ),
      )
      expect(batch.every((r) => r.statusCode === 201)).toBe(true)
    }
    await first.jobs.idle()
    await first.close()
    expect(countRows(first, 'deliveries', "state = 'processed' AND length(raw_body) > 0")).toBe(asked)

    const keeping = await createTestApp({ db: file, clock: () => T0 + 400 * DAY, env: { RAW_BODY_RETENTION_DAYS: '0' } })
    await keeping.close()
    expect(countRows(first, 'deliveries', 'pruned_at IS NOT NULL')).toBe(0)

    // Started 31 days later: the loop's first run (when the app is ready) works the backlog off.
    const later = await start({ db: file, clock: () => T0 + 31 * DAY })
    expect(countRows(later, 'deliveries', 'pruned_at IS NOT NULL AND length(raw_body) = 0')).toBe(asked)
    expect(countRows(later, 'items')).toBe(asked)
    expect(countRows(later, 'messages')).toBe(asked)
  }, 120_000)

  it('finds what to prune through its own index, without reading every delivery', () => {
    const file = openTestDb()
    cleanups.push(() => file.close())
    const plan = file.db.$client
      .prepare(
        `EXPLAIN QUERY PLAN SELECT id FROM deliveries WHERE state = 'processed' AND flag IS NULL AND pruned_at IS NULL AND processed_at < ? ORDER BY processed_at LIMIT ?`,
      )
      .all(0, 10) as { detail: string }[]
    expect(plan.map((p) => p.detail).join(' ')).toContain('deliveries_prunable')
  })

  it('reads RAW_BODY_RETENTION_DAYS: 30 by default, 0 keeps every body, anything else but a whole number of days refused', () => {
    expect(testConfig().rawBodyRetentionDays).toBe(30)
    expect(testConfig({ RAW_BODY_RETENTION_DAYS: '0' }).rawBodyRetentionDays).toBe(0)
    expect(testConfig({ RAW_BODY_RETENTION_DAYS: '90' }).rawBodyRetentionDays).toBe(90)
    for (const bad of ['-1', '7.5', 'tiga puluh', '36501']) {
      expect(() => testConfig({ RAW_BODY_RETENTION_DAYS: bad })).toThrow(ConfigError)
      expect(() => testConfig({ RAW_BODY_RETENTION_DAYS: bad })).toThrow(/RAW_BODY_RETENTION_DAYS/)
    }
  })
})
