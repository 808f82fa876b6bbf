// What keeps the delivery job's memory bounded, as a user of the inbox sees it: large deliveries
// waiting together are stored a few at a time (small ones still all in one transaction), a very long
// message reads cut with "…" while its delivery keeps every byte, and a body nested deeper than any
// platform payload is refused at the door or listed as failed, never parsed.
import { afterEach, describe, expect, it } from 'vitest'
import { openTestDb } from '@tanggap/db'
import { MAX_TEXT } from '../../server/src/connectors/read.ts'
import { signMeta } from '../../server/src/connectors/meta/verify.ts'
import { signX } from '../../server/src/connectors/x/verify.ts'
import { createTestApp, eventually, signIn, type TestApp } from '../helpers/app.ts'
import { DEMO_CHANNELS, DEMO_SECRETS, postRaw, rows } from '../helpers/webhooks.ts'

const BOT = DEMO_CHANNELS.find((c) => c.platform === 'telegram')!.accountId
const X_ACCOUNT = DEMO_CHANNELS.find((c) => c.platform === 'x')!.accountId
const TELEGRAM = { 'x-telegram-bot-api-secret-token': DEMO_SECRETS.telegram.secretToken }
const T0 = Date.UTC(2026, 10, 16, 2, 0, 0)
const MiB = 1024 * 1024

/** A Telegram private message from its own citizen, `size` bytes of text. */
function update(n: number, text: string): Buffer {
  const citizen = 5_500_000_000 + n
  return Buffer.from(
    JSON.stringify({
      update_id: 880_000_000 + n,
      message: {
        message_id: 100 + n,
        from: { id: citizen, is_bot: false, first_name: `Warga ${n}` },
        chat: { id: citizen, first_name: `Warga ${n}`, type: 'private' },
        date: 1_763_946_900 + n,
        text,
      },
    }),
  )
}

const longText = (n: number, size: number) => `Laporan ${n}: jalan di Desa Pesarean rusak parah. `.repeat(Math.ceil(size / 48)).slice(0, size)

const apps: TestApp[] = []
const files: { close(): void }[] = []
afterEach(async () => {
  for (const a of apps.splice(0)) await a.close()
  for (const f of files.splice(0)) f.close()
})

interface Row {
  id: number
  state: string
  processed_at: number | null
  bytes: number
}

describe('delivery batches', () => {
  it('stores large waiting deliveries a few at a time, small ones in one transaction, and loses none', async () => {
    // Each commit reads the clock once: a clock that moves on every reading tells the transactions apart.
    let tick = T0
    const clock = () => tick++
    const file = openTestDb()
    files.push(file)
    // Accepted while no worker runs (a crash before processing): everything waits, pending.
    const first = await createTestApp({ db: file, runWorkers: false, clock })
    const sizes = [900_000, 2_500_000, 900_000, 900_000]
    const sent = [
      ...sizes.map((size, n) => update(n, longText(n, size))),
      ...Array.from({ length: 20 }, (_, i) => update(100 + i, `Lampu PJU nomor ${i} mati, mohon diperbaiki 🙏`)),
    ]
    for (const body of sent) expect((await postRaw(first, `/webhooks/telegram/${BOT}`, body, TELEGRAM)).statusCode).toBe(200)
    await first.app.close()
    apps.push(first)

    // The next start processes them all in one job.
    const second = await createTestApp({ db: file, clock })
    apps.push(second)
    const deliveries = () =>
      rows<Row>(second, "SELECT id, state, processed_at, length(raw_body) AS bytes FROM deliveries WHERE platform = 'telegram' ORDER BY id")
    await eventually(() => deliveries().every((d) => d.state !== 'pending'))
    await second.jobs.idle()
    const all = deliveries()
    expect(all.map((d) => d.state)).toEqual(sent.map(() => 'processed'))
    expect(all.map((d) => d.bytes)).toEqual(sent.map((b) => b.length))

    const byCommit = new Map<number | null, Row[]>()
    for (const d of all) byCommit.set(d.processed_at, [...(byCommit.get(d.processed_at) ?? []), d])
    // No transaction held more than 2 MiB of bodies, except one delivery larger than that on its own.
    for (const group of byCommit.values()) {
      if (group.length > 1) expect(group.reduce((sum, d) => sum + d.bytes, 0)).toBeLessThanOrEqual(2 * MiB)
    }
    const large = all.slice(0, sizes.length)
    expect(byCommit.get(large[1]!.processed_at)).toHaveLength(1)
    expect(new Set(large.map((d) => d.processed_at)).size).toBe(3)
    // The small ones, the common case, still share one commit.
    expect(new Set(all.slice(sizes.length).map((d) => d.processed_at)).size).toBe(1)
    expect(rows(second, "SELECT count(*) AS n FROM items WHERE platform = 'telegram'")).toEqual([{ n: sent.length }])
  })
})

describe('long message texts', () => {
  it('shows a text longer than the inbox keeps cut with "…", while the delivery keeps the whole body', async () => {
    const t = await createTestApp()
    apps.push(t)
    const text = longText(7, 300_000)
    const body = update(7, text)
    expect((await postRaw(t, `/webhooks/telegram/${BOT}`, body, TELEGRAM)).statusCode).toBe(200)
    await t.jobs.idle()
    const [stored] = rows<{ raw_body: Buffer; item_id: number }>(
      t,
      "SELECT raw_body, (SELECT item_id FROM messages WHERE delivery_id = deliveries.id) AS item_id FROM deliveries WHERE platform = 'telegram'",
    )
    expect(stored!.raw_body.equals(body)).toBe(true)

    const admin = await signIn(t.app, 'superadmin')
    const detail = (await t.app.inject({ url: `/api/items/${stored!.item_id}`, headers: admin.headers })).json()
    const shown: string = detail.messages[0].text
    expect(shown).toHaveLength(MAX_TEXT)
    expect(shown).toBe(`${text.slice(0, MAX_TEXT - 1)}…`)
    expect(detail.item.preview.endsWith('…')).toBe(false)
  })

  it('keeps a text that fits whole, with no mark', async () => {
    const t = await createTestApp()
    apps.push(t)
    const text = longText(8, MAX_TEXT)
    expect((await postRaw(t, `/webhooks/telegram/${BOT}`, update(8, text), TELEGRAM)).statusCode).toBe(200)
    await t.jobs.idle()
    expect(rows(t, "SELECT text FROM messages WHERE platform = 'telegram'")).toEqual([{ text }])
  })
})

describe('bodies nested deeper than any platform payload', () => {
  const deep = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`

  it('are refused with 400 by the receivers that read a field of the body, and nothing is stored', async () => {
    const t = await createTestApp()
    apps.push(t)
    const telegram = Buffer.from(`{"update_id":880000999,"message":${deep(200_000)}}`)
    const x = Buffer.from(`{"for_user_id":"${X_ACCOUNT}","tweet_create_events":${deep(200_000)}}`)
    const res = [
      await postRaw(t, `/webhooks/telegram/${BOT}`, telegram, TELEGRAM),
      await postRaw(t, '/webhooks/x', x, { 'x-twitter-webhooks-signature': signX(DEMO_SECRETS.x.consumerSecret, x) }),
    ]
    for (const r of res) expect(r.json()).toMatchObject({ error: { code: 'VALIDATION' } })
    expect(res.map((r) => r.statusCode)).toEqual([400, 400])
    expect(rows(t, 'SELECT count(*) AS n FROM deliveries')).toEqual([{ n: 0 }])
  })

  it('are listed for the superadmin as failed, with the reason, when a receiver stored one', async () => {
    const t = await createTestApp()
    apps.push(t)
    // The Meta receiver reads only `object` from the start of a body signed by every channel's secret.
    const body = Buffer.from(`{"object":"page","entry":${deep(100_000)}}`)
    expect((await postRaw(t, '/webhooks/meta', body, { 'x-hub-signature-256': signMeta(DEMO_SECRETS.meta.appSecret, body) })).statusCode).toBe(200)
    await t.jobs.idle()
    const admin = await signIn(t.app, 'superadmin')
    const failed = (await t.app.inject({ url: '/api/admin/deliveries/failed', headers: admin.headers })).json()
    expect(failed).toEqual([expect.objectContaining({ platform: 'facebook', error: 'the body nests deeper than 64 levels' })])
  })
})
