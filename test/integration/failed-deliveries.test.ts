// Deliveries answered 2xx whose processing then failed are listed for the superadmin with the
// reason, and "process again" runs them once more (after the cause is fixed) and is audited.
import type { FailedDelivery } from '@tanggap/shared'
import { createHmac } from 'node:crypto'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createTestApp, eventually, signIn, type SignedIn, type TestApp } from '../helpers/app.ts'
import { channelId, countRows, DEMO_SECRETS, postRaw, rows } from '../helpers/webhooks.ts'

let t: TestApp
let admin: SignedIn
beforeEach(async () => {
  t = await createTestApp()
  admin = await signIn(t.app, 'superadmin')
})
afterEach(() => t.close())

const listFailed = async (who: SignedIn = admin) => (await t.app.inject({ url: '/api/admin/deliveries/failed', headers: who.headers })).json<FailedDelivery[]>()
const retry = (id: number | string, who: SignedIn | null = admin) =>
  t.app.inject({ method: 'POST', url: `/api/admin/deliveries/${id}/retry`, headers: who?.headers ?? {} })
const stateOf = (id: number) => rows<{ state: string; attempts: number }>(t, 'SELECT state, attempts FROM deliveries WHERE id = ?', id)[0]!

/** A Telegram update the bot's secret token vouches for, whose message date is not a time: stored, then fails. */
async function brokenTelegramUpdate(): Promise<number> {
  const body = JSON.stringify({
    update_id: 880001,
    message: {
      message_id: 5,
      date: 'kemarin sore',
      chat: { id: 4242, type: 'private', first_name: 'Wati' },
      from: { id: 4242, is_bot: false, first_name: 'Wati' },
      text: 'Bus Trans Jateng jam berapa?',
    },
  })
  const res = await postRaw(t, '/webhooks/telegram/7000000001', body, { 'x-telegram-bot-api-secret-token': DEMO_SECRETS.telegram.secretToken })
  expect(res.statusCode).toBe(200)
  const { id } = rows<{ id: number }>(t, "SELECT id FROM deliveries WHERE platform = 'telegram'")[0]!
  await eventually(() => stateOf(id).state === 'failed', 5000, 'delivery failed')
  return id
}

/** A website question as a version before the byte-order-mark fix left it: answered 201, then failed in its job. */
function questionFailedBeforeTheFix(): number {
  const body = Buffer.concat([
    Buffer.from([0xef, 0xbb, 0xbf]),
    Buffer.from(JSON.stringify({ name: 'Rina', text: 'Bansos PKH tahap 4 kapan cair?', topic: 'bansos' })),
  ])
  const at = Date.now()
  const r = t.db.$client
    .prepare(`INSERT INTO deliveries (platform, channel_id, dedupe_key, tracking_code, raw_body, state, attempts, error, received_at, processed_at)
    VALUES ('website', ?, 'website:before-fix', 'RYNA-2345', ?, 'failed', 1, 'Unexpected token \uFEFF, "\uFEFF{"name"... is not valid JSON', ?, ?)`)
    .run(channelId(t, 'website'), body, at, at)
  return Number(r.lastInsertRowid)
}

describe('failed deliveries', () => {
  it('lists a signed delivery whose processing failed, with the reason, to the superadmin only', async () => {
    const id = await brokenTelegramUpdate()
    const list = await listFailed()
    expect(list).toEqual([
      {
        id,
        platform: 'telegram',
        channel: { id: channelId(t, 'telegram'), name: 'Telegram @DishubTegalBot' },
        receivedAt: expect.any(Number),
        attempts: 1,
        error: expect.stringContaining('message.date is not a Unix time'),
        trackingCode: null,
      },
    ])
    // Not an unknown account: the flagged list stays as it was.
    expect((await t.app.inject({ url: '/api/admin/deliveries/flagged', headers: admin.headers })).json()).toEqual([])

    for (const who of ['dishub', 'prokompim']) {
      const other = await signIn(t.app, who)
      expect((await t.app.inject({ url: '/api/admin/deliveries/failed', headers: other.headers })).statusCode).toBe(403)
      expect((await retry(id, other)).statusCode).toBe(403)
    }
    expect((await t.app.inject({ url: '/api/admin/deliveries/failed' })).statusCode).toBe(401)
    expect((await retry(id, null)).statusCode).toBe(401)
    expect(stateOf(id).state).toBe('failed')
  }, 60_000)

  it('processes a failed question again once the cause is fixed: the item is made and the citizen sees it', async () => {
    const id = questionFailedBeforeTheFix()
    expect((await t.app.inject({ url: '/api/public/questions/RYNA-2345' })).json()).toMatchObject({
      status: 'received',
      question: 'Bansos PKH tahap 4 kapan cair?',
    })
    expect(await listFailed()).toEqual([
      expect.objectContaining({
        id,
        platform: 'website',
        channel: expect.objectContaining({ id: channelId(t, 'website') }),
        trackingCode: 'RYNA-2345',
        attempts: 1,
      }),
    ])

    const res = await retry(id)
    expect(res.statusCode).toBe(202)
    expect(res.json()).toEqual({ id, state: 'pending' })
    await eventually(() => countRows(t, 'items', "tracking_code = 'RYNA-2345'") === 1, 5000, 'item made')
    expect(stateOf(id)).toEqual({ state: 'processed', attempts: 2 })
    expect(await listFailed()).toEqual([])
    expect((await t.app.inject({ url: '/api/public/questions/RYNA-2345' })).json()).toMatchObject({
      status: 'open',
      question: 'Bansos PKH tahap 4 kapan cair?',
    })

    const audit = rows<{ action: string; actor: string; before: string; after: string }>(
      t,
      "SELECT action, actor, before, after FROM audit_log WHERE entity = 'delivery' AND entity_id = ?",
      String(id),
    )
    expect(audit).toHaveLength(1)
    expect(audit[0]).toMatchObject({ action: 'delivery.retry', actor: expect.stringMatching(/^user:\d+$/) })
    expect(JSON.parse(audit[0]!.before)).toMatchObject({ state: 'failed', attempts: 1, error: expect.stringContaining('not valid JSON') })
    expect(JSON.parse(audit[0]!.after)).toEqual({ state: 'pending' })
  }, 60_000)

  it('answers 409 for a delivery that is not failed, 404 for an unknown one, 400 for a malformed id', async () => {
    const id = questionFailedBeforeTheFix()
    expect((await retry(id)).statusCode).toBe(202)
    await eventually(() => stateOf(id).state === 'processed')
    const again = await retry(id)
    expect(again.statusCode).toBe(409)
    expect(again.json().error).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('processed'), requestId: expect.any(String) })
    expect((await retry(999_999)).json().error).toMatchObject({ code: 'NOT_FOUND' })
    expect((await retry(999_999)).statusCode).toBe(404)
    expect((await retry('abc')).statusCode).toBe(400)
    expect(countRows(t, 'audit_log', "entity = 'delivery'")).toBe(1)
  }, 60_000)

  it('processes a signed platform body that starts with a byte-order mark instead of failing it', async () => {
    const now = Date.now()
    const ts = Math.floor(now / 1000)
    const content = {
      comment_id: '7441122334455660001',
      video_id: '7440000000000000123',
      parent_comment_id: '0',
      comment_type: 'comment',
      comment_action: 'insert',
      unique_identifier: 'warga.adiwerna',
      timestamp: now,
      text: 'Min, jalan ning Adiwerna bolong',
      username: 'Warga Adiwerna',
    }
    const json = JSON.stringify({
      client_key: 'aw3k9tanggapdemo',
      event: 'comment.update',
      create_time: ts,
      user_openid: '7300000000000000001',
      content: JSON.stringify(content),
    })
    const body = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(json)])
    const signature = `t=${ts},s=${createHmac('sha256', DEMO_SECRETS.tiktok.clientSecret!).update(`${ts}.`).update(body).digest('hex')}`
    expect((await postRaw(t, '/webhooks/tiktok', body, { 'TikTok-Signature': signature })).statusCode).toBe(200)
    await eventually(() => countRows(t, 'deliveries', "state != 'pending'") === 1, 5000, 'delivery processed')
    expect(rows(t, 'SELECT state, error FROM deliveries')).toEqual([{ state: 'processed', error: null }])
    expect(rows(t, 'SELECT text FROM messages')).toEqual([{ text: 'Min, jalan ning Adiwerna bolong' }])
    expect(await listFailed()).toEqual([])
  }, 60_000)

  it('takes back a delivery that fails again, with its attempts counted, and lets two clicks reopen it once', async () => {
    const id = await brokenTelegramUpdate()
    const clicks = await Promise.all([retry(id), retry(id)])
    expect(clicks.map((r) => r.statusCode).sort()).toEqual([202, 409])
    await eventually(() => stateOf(id).attempts === 2 && stateOf(id).state === 'failed', 5000, 'failed again')
    expect(await listFailed()).toEqual([expect.objectContaining({ id, attempts: 2, error: expect.stringContaining('message.date') })])
    expect(countRows(t, 'messages')).toBe(0)
  }, 60_000)

  it('pages through a long list: the newest first, then older ones before the last id shown', async () => {
    const insert = t.db.$client.prepare(`INSERT INTO deliveries (platform, channel_id, dedupe_key, raw_body, state, attempts, error, received_at, processed_at)
      VALUES ('telegram', ?, ?, x'7b7d', 'failed', 1, 'broken', ?, ?)`)
    const ids = Array.from({ length: 5 }, (_, i) => Number(insert.run(channelId(t, 'telegram'), `telegram:page-${i}`, Date.now(), Date.now()).lastInsertRowid))
    const page = async (query: string) =>
      (await t.app.inject({ url: `/api/admin/deliveries/failed?${query}`, headers: admin.headers })).json<FailedDelivery[]>().map((f) => f.id)
    const first = await page('limit=2')
    expect(first).toEqual([ids[4], ids[3]])
    const second = await page(`limit=2&before=${first[1]}`)
    expect(second).toEqual([ids[2], ids[1]])
    expect(await page(`limit=2&before=${second[1]}`)).toEqual([ids[0]])
    expect((await t.app.inject({ url: '/api/admin/deliveries/failed?before=abc', headers: admin.headers })).statusCode).toBe(400)
  })
})
