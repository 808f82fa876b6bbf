// YouTube: comments arrive by polling the Data API (no webhooks). These tests run the real poll
// job, normalizer and sender against the local fake of the API over loopback HTTP, on real SQLite.
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import fc from 'fast-check'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DEMO_SECRETS } from '@tanggap/db/seed'
import { youtubeConnector } from '../../server/src/connectors/youtube/index.ts'
import { normalizeYoutube } from '../../server/src/connectors/youtube/normalize.ts'
import type { DeliveryInput, NormalizedEvent } from '../../server/src/connectors/types.ts'
import { quotaDay } from '../../server/src/modules/channels/quota.repo.ts'
import { EMBEDDED_REPLIES, youtubeFake, youtubeMaker } from '../../server/src/simulator/platforms/youtube.ts'
import type { SimChannel } from '../../server/src/simulator/types.ts'
import { eventually, signIn } from '../helpers/app.ts'
import { channelId, countRows, createAppWithFakeApi, rows } from '../helpers/webhooks.ts'

const CHANNEL = 'UCtegalkab000000000000'
const TOKEN = DEMO_SECRETS.youtube.accessToken
const fixtureBytes = (name: string) => readFileSync(new URL(`../fixtures/youtube/${name}`, import.meta.url))
const fixture = (name: string) => JSON.parse(fixtureBytes(name).toString('utf8')) as { items: unknown[] } & Record<string, unknown>
const MIN = 60_000

let env: Awaited<ReturnType<typeof createAppWithFakeApi>>
let now: number
let cid: number
let started = false

/** The app on the fake API; every start polls once (the background loop), which is awaited here. */
async function start() {
  env = await createAppWithFakeApi({ clock: () => now })
  started = true
  await env.t.jobs.idle()
  cid = channelId(env.t, 'youtube')
  return env
}

/** One poll of the YouTube channel through the real 'channel.poll' service, then its deliveries processed. */
async function poll() {
  await env.t.app.services.poll.poll(cid)
  await env.t.jobs.idle()
}

const youtubeCalls = (path?: string) => env.api.callsTo('youtube').filter((c) => !path || c.path === path)
const quotaUsed = (at = now) =>
  rows<{ units: number }>(env.t, 'SELECT units FROM api_quota WHERE channel_id = ? AND day = ?', cid, quotaDay(at, 'America/Los_Angeles'))[0]?.units ?? 0
const settings = () => JSON.parse(rows<{ settings: string }>(env.t, 'SELECT settings FROM channels WHERE id = ?', cid)[0]!.settings) as Record<string, string>
const lastError = () => rows<{ last_error: string | null }>(env.t, 'SELECT last_error FROM channels WHERE id = ?', cid)[0]!.last_error

interface MessageRow {
  id: number
  item_id: number
  external_id: string
  parent_external_id: string | null
  direction: string
  author_name: string
  author_external_id: string | null
  text: string
  sent_at: number
  edited_at: number | null
}
const messagesOf = (threadId: string) =>
  rows<MessageRow>(env.t, 'SELECT m.* FROM messages m JOIN items i ON i.id = m.item_id WHERE i.external_thread_id = ? ORDER BY m.sent_at, m.id', threadId)
const itemOf = (threadId: string) =>
  rows<{
    id: number
    status: string
    kind: string
    platform: string
    citizen_name: string
    awaiting_since: number | null
    first_response_seconds: number | null
  }>(env.t, 'SELECT * FROM items WHERE external_thread_id = ?', threadId)[0]

let serial = 0
/** A citizen's top-level comment in the fake API's state. */
const citizenComment = (text: string, at: number, name = `@warga${++serial}`) =>
  youtubeFake.addComment({
    channelId: CHANNEL,
    videoId: 'q9Zt3GuciW0',
    authorName: name,
    authorChannelId: `UCwarga${String(serial).padStart(17, '0')}`,
    text,
    at,
  })

beforeEach(() => {
  youtubeFake.reset()
  now = Date.parse('2026-05-04T06:00:00Z')
})
afterEach(async () => {
  if (started) await env.close()
  started = false
})

describe('YouTube deliveries (polled pages) become messages', () => {
  it('reads the reference example: the citizen’s comment and the channel’s own reply, which stops the clock', async () => {
    await start()
    const page = fixtureBytes('comment-threads.reference.json')
    // Stored exactly as the poll job stores a page: keyed by its hash, three times over.
    const key = `youtube:poll:${createHash('sha256').update(page).digest('hex')}`
    for (let i = 0; i < 3; i++)
      await env.t.app.services.deliveries.store({ platform: 'youtube', channelId: cid, dedupeKey: key, rawBody: page, receivedAt: now })
    // The same comments in a page with other bytes (YouTube changes etags and like counts) are one message each too.
    const reserialized = Buffer.from(JSON.stringify(JSON.parse(page.toString('utf8')), null, 1))
    await env.t.app.services.deliveries.store({
      platform: 'youtube',
      channelId: cid,
      dedupeKey: 'youtube:poll:other-bytes',
      rawBody: reserialized,
      receivedAt: now,
    })
    await env.t.jobs.idle()

    expect(countRows(env.t, 'deliveries', "platform = 'youtube'")).toBe(2)
    const thread = 'UgxD7msptSaPXG9Xqt14AaABAg'
    const msgs = messagesOf(thread)
    expect(msgs).toHaveLength(2)
    expect(msgs[0]).toMatchObject({
      external_id: thread,
      parent_external_id: null,
      direction: 'in',
      author_name: '@citizen1',
      author_external_id: 'UCcitizen1',
      text: 'When is the road fixed?',
      sent_at: Date.parse('2026-05-01T08:00:00Z'),
    })
    expect(msgs[1]).toMatchObject({
      external_id: 'UgxD7msptSaPXG9Xqt14AaABAg.A1b2C3',
      parent_external_id: thread,
      direction: 'out',
      author_external_id: 'UC_GOV',
      text: 'Works start on 12 May.',
      sent_at: Date.parse('2026-05-01T10:30:00Z'),
    })

    const supervisor = await signIn(env.t.app, 'prokompim')
    const list = (await env.t.app.inject({ url: '/api/items?platform=youtube', headers: supervisor.headers })).json()
    expect(list.items).toHaveLength(1)
    expect(list.items[0]).toMatchObject({
      platform: 'youtube',
      kind: 'comment',
      status: 'answered',
      citizenName: '@citizen1',
      preview: 'When is the road fixed?',
      opd: { code: 'diskominfo' },
    })
    // 08:00 → 10:30 on YouTube's clock, not when we polled.
    expect(list.items[0].firstResponseSeconds).toBe(9000)
  })

  it('polls the channel’s threads through the job and stores Indonesian names and texts byte for byte', async () => {
    await start()
    youtubeFake.loadThreads(fixture('comment-threads.id.json').items)
    await poll()

    const call = youtubeCalls('/commentThreads').at(-1)!
    expect(call.method).toBe('GET')
    expect(call.headers.authorization).toBe(`Bearer ${TOKEN}`)
    expect(call.query).toMatchObject({ part: 'snippet,replies', allThreadsRelatedToChannelId: CHANNEL, order: 'time', maxResults: '100' })

    const admin = await signIn(env.t.app, 'kominfo')
    const list = (await env.t.app.inject({ url: '/api/items', headers: admin.headers })).json()
    const byThread = new Map<
      string,
      { id: number; citizenName: string; preview: string; status: string; firstResponseSeconds: number | null; awaitingSince: number | null }
    >(
      list.items
        .filter((i: { platform: string }) => i.platform === 'youtube')
        .map((i: { id: number }) => [rows<{ t: string }>(env.t, 'SELECT external_thread_id AS t FROM items WHERE id = ?', i.id)[0]!.t, i]),
    )
    expect(byThread.size).toBe(3)

    const dede = byThread.get('UgzL9kq3Wm2rTp7XcVh4AaABAg')!
    expect(dede.citizenName).toBe('@DédéÑurhayati-🌾')
    const dedeText = 'Lampu PJU nang Jl. Raya Banjaran mati 3 dina & peteng banget\nkapan didandani? 😡'
    const stored = messagesOf('UgzL9kq3Wm2rTp7XcVh4AaABAg')
    expect(Buffer.from(stored[0]!.text, 'utf8').equals(Buffer.from(dedeText, 'utf8'))).toBe(true)
    expect(Buffer.from(stored[0]!.author_name, 'utf8').equals(Buffer.from('@DédéÑurhayati-🌾', 'utf8'))).toBe(true)
    // The channel's own reply 47 minutes later answered it.
    expect(dede).toMatchObject({ status: 'answered', firstResponseSeconds: 47 * 60 })
    expect(stored[1]).toMatchObject({
      direction: 'out',
      author_name: '@pemkabtegal',
      text: 'Terima kasih laporannya, Mbak Dédé 🙏 Tim Dishub sudah dijadwalkan memperbaiki besok pagi.',
    })

    // A citizen's reply under another citizen's comment: both wait for an answer, from the first one's time (fractions of a second kept).
    const bowo = byThread.get('UgwP4rX8sK2mQ9tLd6V4AaABAg')!
    expect(bowo).toMatchObject({
      status: 'open',
      awaitingSince: Date.parse('2026-05-04T00:40:12.345Z'),
      preview: 'Pak, gili nang Adiwerna bolong-bolong kaya kiye, kapan dibenerin? motor wis pada jatuh 🙏🏽',
    })
    expect(messagesOf('UgwP4rX8sK2mQ9tLd6V4AaABAg').map((m) => [m.direction, m.text])).toEqual([
      ['in', 'Pak, gili nang Adiwerna bolong-bolong kaya kiye, kapan dibenerin? motor wis pada jatuh 🙏🏽'],
      ['in', 'Bener pak, nyong be wis kejeglong nang kono 😭😭 — ora ana lampune pisan'],
    ])

    // Only textDisplay (HTML) given: tags and entities are undone, a citizen's "<3" stays.
    expect(byThread.get('UgyT2nV6bQ9wKx3Lm5R4AaABAg')!.preview).toBe('mhn info blangko ktp el di dukcapil sdh ada blm ya min? <3 "urgent" 🙏')

    const detail = (await env.t.app.inject({ url: `/api/items/${dede.id}`, headers: admin.headers })).json()
    expect(detail.messages.map((m: { text: string }) => m.text)).toEqual([dedeText, stored[1]!.text])
  })

  it('polling again creates no duplicates, stores no unchanged page, and picks up only what is new', async () => {
    await start()
    youtubeFake.loadThreads(fixture('comment-threads.id.json').items)
    await poll()
    const counts = () => [
      countRows(env.t, 'items', "platform = 'youtube'"),
      countRows(env.t, 'messages', "platform = 'youtube'"),
      countRows(env.t, 'deliveries', "platform = 'youtube'"),
    ]
    const first = counts()
    expect(first).toEqual([3, 5, 1])

    await poll()
    // Likes change the page's bytes but not its comments.
    ;(youtubeFake.thread('UgwP4rX8sK2mQ9tLd6V4AaABAg')!.top.snippet as { likeCount: number }).likeCount += 30
    await poll()
    expect(counts()).toEqual(first)

    citizenComment('Min, tiket masuk Guci sekarang berapa? weekend rame ga? 🏞️', Date.parse('2026-05-04T05:00:00Z'))
    now += MIN
    // The scheduler's path: one job per polled channel and time slot.
    await env.t.app.services.poll.schedule()
    await env.t.jobs.idle()
    expect(counts()).toEqual([4, 6, 2])
  })

  it('turns a page of 50 threads into 50 items', async () => {
    await start()
    for (let i = 0; i < 50; i++) citizenComment(`Pertanyaan warga nomor ${i} 🙏`, Date.parse('2026-05-04T03:00:00Z') + i * 1000)
    await poll()
    expect(countRows(env.t, 'items', "platform = 'youtube'")).toBe(50)
    expect(countRows(env.t, 'deliveries', "platform = 'youtube'")).toBe(1)
    expect(countRows(env.t, 'deliveries', "platform = 'youtube' AND state = 'processed'")).toBe(1)
  })
})

describe('quota and the cursor', () => {
  it('counts one unit per list call against the day in Pacific Time and stops when the quota is spent, continuing the next day', async () => {
    await start()
    // The start's poll of the empty channel: one call, one unit.
    expect(quotaUsed()).toBe(1)
    for (let i = 0; i < 250; i++) citizenComment(`Jalan rusak di desa ke-${i}, mohon dicek 🙏`, Date.parse('2026-05-03T00:00:00Z') + i * MIN)

    const day = quotaDay(now, 'America/Los_Angeles')
    env.t.db.$client.prepare('UPDATE api_quota SET units = ? WHERE channel_id = ? AND day = ?').run(10_000 - 2, cid, day)
    const callsBefore = youtubeCalls().length
    await poll()
    expect(youtubeCalls().length - callsBefore).toBe(2)
    expect(quotaUsed()).toBe(10_000)
    expect(countRows(env.t, 'items', "platform = 'youtube'")).toBe(200)
    expect(settings().resume).toContain('token')

    // Quota spent: no call at all, no error.
    await poll()
    expect(youtubeCalls().length - callsBefore).toBe(2)
    expect(lastError()).toBeNull()

    // Midnight in Los Angeles: the new day's quota; the catch-up continues where it stopped.
    now += 24 * 60 * MIN
    await poll()
    const resumed = youtubeCalls('/commentThreads').at(-1)!
    expect(resumed.query.pageToken).toBeTruthy()
    expect(countRows(env.t, 'items', "platform = 'youtube'")).toBe(250)
    expect(quotaUsed()).toBe(1)
    expect(settings().resume).toBe('')
    expect(settings().watermark).toBe(new Date(Date.parse('2026-05-03T00:00:00Z') + 249 * MIN).toISOString())
  })

  it('the first poll of a channel takes the newest pages only, not years of history', async () => {
    for (let i = 0; i < 450; i++) citizenComment(`Komentar lama ${i}`, Date.parse('2023-01-01T00:00:00Z') + i * 24 * 60 * MIN)
    await start()
    expect(youtubeCalls('/commentThreads')).toHaveLength(2)
    expect(countRows(env.t, 'items', "platform = 'youtube'")).toBe(200)
    await poll()
    // Caught up: one page reaches the watermark.
    expect(youtubeCalls('/commentThreads')).toHaveLength(3)
    expect(countRows(env.t, 'items', "platform = 'youtube'")).toBe(200)
  })

  it('a failing API is recorded as the channel’s error and the next good poll clears it', async () => {
    await start()
    env.api.failNext('youtube', 1, 500, fixture('error-backend.json'))
    await expect(env.t.app.services.poll.poll(cid)).rejects.toThrow(/commentThreads\.list: HTTP 500 backendError/)
    expect(lastError()).toMatch(/HTTP 500 backendError: The service is currently unavailable/)

    env.api.failNext('youtube', 1, 401, {
      error: { code: 401, message: 'Request had invalid authentication credentials.', errors: [{ reason: 'authError', domain: 'global' }] },
    })
    // Through the job: the process carries on.
    now += MIN
    await env.t.app.services.poll.schedule()
    await env.t.jobs.idle()
    expect(lastError()).toMatch(/HTTP 401 authError/)

    citizenComment('Air PDAM di Talang keruh 4 hari 😩', Date.parse('2026-05-04T05:30:00Z'))
    await poll()
    expect(lastError()).toBeNull()
    expect(countRows(env.t, 'items', "platform = 'youtube'")).toBe(1)
  })
})

describe('government replies', () => {
  it('a native reply beyond the replies a thread embeds is fetched with comments.list and stops the clock', async () => {
    await start()
    const t0 = Date.parse('2026-05-04T01:00:00Z')
    const thread = citizenComment('Banjir lagi di Kramat, air sudah masuk rumah warga. Mohon bantuan BPBD 🙏🙏', t0, '@Wartini_Kramat')
    for (let i = 1; i <= EMBEDDED_REPLIES + 1; i++) {
      youtubeFake.addComment({
        channelId: CHANNEL,
        threadId: thread,
        authorName: `@tangga${i}`,
        authorChannelId: `UCtangga${String(i).padStart(16, '0')}`,
        text: `Iya bener, nang RT ${i} juga 😭`,
        at: t0 + i * MIN,
      })
    }
    youtubeFake.addComment({
      channelId: CHANNEL,
      threadId: thread,
      authorName: '@pemkabtegal',
      authorChannelId: CHANNEL,
      text: 'Tim BPBD sudah menuju lokasi, mohon warga tetap waspada.',
      at: t0 + 50 * MIN,
    })
    const unitsBefore = quotaUsed()
    await poll()

    expect(youtubeCalls('/comments')).toHaveLength(1)
    expect(youtubeCalls('/comments')[0]!.query).toMatchObject({ parentId: thread, part: 'snippet' })
    expect(quotaUsed() - unitsBefore).toBe(2)
    const msgs = messagesOf(thread)
    expect(msgs).toHaveLength(EMBEDDED_REPLIES + 3)
    expect(msgs.filter((m) => m.direction === 'out')).toHaveLength(1)
    expect(itemOf(thread)).toMatchObject({ status: 'answered', first_response_seconds: 50 * 60, citizen_name: '@Wartini_Kramat' })

    // Nothing changed: the replies are not fetched again.
    await poll()
    expect(youtubeCalls('/comments')).toHaveLength(1)
  })

  it('a reply sent from Tanggap and its appearance in the next poll count once', async () => {
    await start()
    const thread = citizenComment('Akta kelahiran anak saya sudah 2 minggu belum jadi, statusnya gimana? 🙏', Date.parse('2026-05-04T02:00:00Z'), '@Ibu_Siti')
    await poll()
    const item = itemOf(thread)!
    const admin = await signIn(env.t.app, 'kominfo')
    const text = 'Mohon maaf, Bu Siti 🙏 akta sudah jadi, bisa diambil di Disdukcapil Slawi — matur nuwun.'
    const res = await env.t.app.inject({ method: 'POST', url: `/api/items/${item.id}/replies`, headers: admin.headers, payload: { text } })
    expect(res.statusCode).toBe(201)
    const detail = await eventually(async () => {
      const d = (await env.t.app.inject({ url: `/api/items/${item.id}`, headers: admin.headers })).json()
      return d.replies[0]?.state === 'sent' ? d : null
    })
    expect(detail.item.status).toBe('answered')

    const insert = youtubeCalls('/comments').filter((c) => c.method === 'POST')
    expect(insert).toHaveLength(1)
    expect(insert[0]!.query).toMatchObject({ part: 'snippet' })
    expect(insert[0]!.headers.authorization).toBe(`Bearer ${TOKEN}`)
    expect(insert[0]!.body).toEqual({ snippet: { parentId: thread, textOriginal: text } })
    const created = youtubeFake.thread(thread)!.replies[0]!

    await poll()
    const out = messagesOf(thread).filter((m) => m.direction === 'out')
    expect(out).toHaveLength(1)
    expect(out[0]!.external_id).toBe(created.id)
    expect(out[0]!.text).toBe(text)
  })

  it('an edited comment keeps its earlier text', async () => {
    await start()
    const t0 = Date.parse('2026-05-04T02:00:00Z')
    const id = citizenComment('Sampah di pasar Slawi ga diangkut udah seminggu', t0)
    await poll()
    youtubeFake.editComment(id, 'Sampah di pasar Slawi ga diangkut udah seminggu, bau banget min 🤢 (edit: sudah 8 hari)', t0 + 10 * MIN)
    await poll()
    const [msg] = messagesOf(id)
    expect(msg).toMatchObject({ text: 'Sampah di pasar Slawi ga diangkut udah seminggu, bau banget min 🤢 (edit: sudah 8 hari)', edited_at: t0 + 10 * MIN })
    expect(rows(env.t, 'SELECT previous_text, change, at FROM message_revisions WHERE message_id = ?', msg!.id)).toEqual([
      { previous_text: 'Sampah di pasar Slawi ga diangkut udah seminggu', change: 'edit', at: t0 + 10 * MIN },
    ])
    // Seen again unchanged: no second revision.
    now += MIN
    await poll()
    expect(countRows(env.t, 'message_revisions', 'message_id = ?', msg!.id)).toBe(1)
  })
})

describe('sending replies', () => {
  async function itemToAnswer() {
    await start()
    const thread = citizenComment('Kapan bansos PKH tahap 4 cair ya? ibu saya belum dapet', Date.parse('2026-05-04T02:00:00Z'))
    await poll()
    return { thread, item: itemOf(thread)!, admin: await signIn(env.t.app, 'kominfo') }
  }
  const reply = (itemId: number, headers: Record<string, string>, text = 'Pencairan tahap 4 dijadwalkan minggu depan, Bu.') =>
    env.t.app.inject({ method: 'POST', url: `/api/items/${itemId}/replies`, headers, payload: { text } })
  const settled = (itemId: number, headers: Record<string, string>) =>
    eventually(async () => {
      const d = (await env.t.app.inject({ url: `/api/items/${itemId}`, headers })).json()
      return d.replies[0] && d.replies[0].state !== 'pending' ? d : null
    })
  const inserts = () => youtubeCalls('/comments').filter((c) => c.method === 'POST')

  it('retries a 5xx and then succeeds', async () => {
    const { item, admin } = await itemToAnswer()
    env.api.failNext('youtube', 1, 503, fixture('error-backend.json'))
    expect((await reply(item.id, admin.headers)).statusCode).toBe(201)
    const d = await settled(item.id, admin.headers)
    expect(d.replies[0].state).toBe('sent')
    expect(inserts()).toHaveLength(2)
  })

  it('retries a 403 rate limit (a pace problem, not a permission one)', async () => {
    const { item, admin } = await itemToAnswer()
    env.api.failNext('youtube', 1, 403, fixture('error-rate-limit.json'))
    await reply(item.id, admin.headers)
    expect((await settled(item.id, admin.headers)).replies[0].state).toBe('sent')
    expect(inserts()).toHaveLength(2)
  })

  it('fails a 400 for good and shows YouTube’s reason on the item', async () => {
    const { item, admin } = await itemToAnswer()
    env.api.failNext('youtube', 1, 400, fixture('error-text-too-long.json'))
    await reply(item.id, admin.headers)
    const d = await settled(item.id, admin.headers)
    expect(d.replies[0].state).toBe('failed')
    expect(d.replies[0].error).toMatch(/commentTextTooLong: The comment resource that is being inserted contains too many characters/)
    expect(inserts()).toHaveLength(1)
    expect(d.item.status).toBe('open')
  })

  it('fails for good with a clear message when the daily quota is used up', async () => {
    const { item, admin } = await itemToAnswer()
    env.api.failNext('youtube', 1, 403, fixture('error-quota-exceeded.json'))
    await reply(item.id, admin.headers)
    const d = await settled(item.id, admin.headers)
    expect(d.replies[0].state).toBe('failed')
    expect(d.replies[0].error).toMatch(/quotaExceeded: daily quota used up, resets at midnight Pacific Time/)
    expect(d.replies[0].error).not.toContain('<a')
    expect(inserts()).toHaveLength(1)
  })

  it('refuses a reply to a thread that no longer takes replies (the fake answers as YouTube does)', async () => {
    const { thread, item, admin } = await itemToAnswer()
    youtubeFake.setCanReply(thread, false)
    await reply(item.id, admin.headers)
    const d = await settled(item.id, admin.headers)
    expect(d.replies[0]).toMatchObject({ state: 'failed', error: expect.stringMatching(/HTTP 400 operationNotSupported/) })
  })

  it('has no messaging window: a month later a reply is still accepted', async () => {
    const { item } = await itemToAnswer()
    now += 30 * 24 * 60 * MIN
    const admin = await signIn(env.t.app, 'kominfo')
    const res = await reply(item.id, admin.headers)
    expect(res.statusCode).toBe(201)
    const d = await settled(item.id, admin.headers)
    expect(d.replyWindowClosesAt).toBeNull()
    expect(d.replies[0].state).toBe('sent')
  })
})

describe('the simulator pieces', () => {
  const sim: SimChannel = { platform: 'youtube', accountId: CHANNEL, name: 'YouTube Pemkab Tegal', credentials: { accessToken: TOKEN } }

  it('the maker’s comments are found by the next poll, replies in their thread', async () => {
    await start()
    const at = Date.parse('2026-05-04T03:00:00Z')
    youtubeMaker.add(sim, [
      {
        kind: 'comment',
        text: 'kepriben carane daftar kartu tani min? nyong durung duwe 🌾',
        authorName: 'Kang Darto Ñgapak',
        authorId: '5550001',
        messageId: '9000001',
        threadId: 'video-1',
        at,
      },
    ])
    youtubeMaker.add(sim, [
      {
        kind: 'comment',
        text: 'Podo, aku yo durung 😅',
        authorName: 'Yu Sarmi',
        authorId: '5550002',
        messageId: '9000002',
        threadId: 'video-1',
        parentId: 'video-1',
        at: at + MIN,
      },
      {
        kind: 'comment',
        text: 'Daftar lewat penyuluh pertanian di desa ya, Kang.',
        authorName: 'YouTube Pemkab Tegal',
        authorId: CHANNEL,
        messageId: '9000003',
        threadId: 'video-1',
        parentId: 'video-1',
        fromAccount: true,
        at: at + 20 * MIN,
      },
    ])
    await poll()
    const items = rows<{ external_thread_id: string; citizen_name: string; status: string; first_response_seconds: number }>(
      env.t,
      "SELECT * FROM items WHERE platform = 'youtube'",
    )
    expect(items).toHaveLength(1)
    expect(items[0]).toMatchObject({ citizen_name: 'Kang Darto Ñgapak', status: 'answered', first_response_seconds: 20 * 60 })
    expect(messagesOf(items[0]!.external_thread_id).map((m) => [m.direction, m.text])).toEqual([
      ['in', 'kepriben carane daftar kartu tani min? nyong durung duwe 🌾'],
      ['in', 'Podo, aku yo durung 😅'],
      ['out', 'Daftar lewat penyuluh pertanian di desa ya, Kang.'],
    ])
  })

  it('testConnection names the channel the token belongs to, and refuses a bad token', async () => {
    await start()
    const repo = env.t.app.services.repos.channels
    const channel = repo.open(repo.byId(cid)!)
    const base = `${env.api.url}/youtube`
    await expect(youtubeConnector.testConnection!(channel, base, fetch)).resolves.toBe(`YouTube channel "YouTube Pemkab Tegal" (${CHANNEL})`)
    await expect(youtubeConnector.testConnection!({ ...channel, credentials: { accessToken: 'expired' } }, base, fetch)).rejects.toThrow(/HTTP 401 authError/)
    await expect(youtubeConnector.testConnection!({ ...channel, accountId: 'UCsomeoneelse0000000000' }, base, fetch)).rejects.toThrow(/not UCsomeoneelse/)
  })
})

describe('hostile pages', () => {
  const delivery = (raw: Buffer | string): DeliveryInput => ({
    id: 1,
    platform: 'youtube',
    channelId: 1,
    dedupeKey: 'youtube:poll:fuzz',
    rawBody: Buffer.isBuffer(raw) ? raw : Buffer.from(raw, 'utf8'),
    receivedAt: 0,
    trackingCode: null,
  })
  const ctx = { opdIdByCode: () => undefined, triageOpdId: () => 1 }

  function checkEvent(e: NormalizedEvent) {
    expect(['add', 'edit']).toContain(e.verb)
    expect(e.kind).toBe('comment')
    expect(['in', 'out']).toContain(e.direction)
    for (const id of [e.externalId, e.externalThreadId]) expect(typeof id === 'string' && id.length > 0 && id.length <= 256).toBe(true)
    expect(typeof e.accountId).toBe('string')
    expect(typeof e.text === 'string' && e.text.length <= 4000).toBe(true)
    expect(typeof e.authorName === 'string' && e.authorName.length <= 120).toBe(true)
    expect(e.authorExternalId === null || typeof e.authorExternalId === 'string').toBe(true)
    expect(Number.isSafeInteger(e.sentAt) && e.sentAt >= 0).toBe(true)
  }
  /** Either valid events or a plain Error with a reason: never a TypeError or anything else. */
  function normalizeSafely(raw: Buffer | string): void {
    let events: NormalizedEvent[]
    try {
      events = normalizeYoutube(delivery(raw), ctx)
    } catch (err) {
      expect(err).toBeInstanceOf(Error)
      expect((err as Error).constructor).toBe(Error)
      expect((err as Error).message).toMatch(/^YouTube /)
      return
    }
    expect(Array.isArray(events)).toBe(true)
    events.forEach(checkEvent)
  }

  const HUGE = 'Désa 😀 '.repeat(20_000)
  const FIXTURES = ['comment-threads.reference.json', 'comment-threads.id.json', 'comment-list.id.json'].map((n) => fixture(n))
  const value: fc.Arbitrary<(v: unknown) => unknown> = fc.oneof(
    fc.constant(() => undefined),
    fc.jsonValue().map((x) => () => x),
    fc
      .constantFrom(HUGE, '2026-05-04T01:00:00Z', '1', `UC${'x'.repeat(300)}`, `<a href="x">${'é'.repeat(10_000)}`, '&#x110000;&#55296;&#0;&bogus;')
      .map((s) => () => s),
    fc.constantFrom(2 ** 53 + 1, -1, 0, 1e21, 0.5).map((n) => () => n),
    fc.constant((v: unknown) => [v]),
    fc.constant((v: unknown) => ({ value: v })),
    fc.constant((v: unknown) => JSON.stringify(v) ?? 'undefined'),
  )

  /** Every path to a value inside a fixture. */
  function paths(v: unknown, at: (string | number)[] = []): (string | number)[][] {
    const here = at.length ? [at] : []
    if (Array.isArray(v)) return [...here, ...v.flatMap((x, i) => paths(x, [...at, i]))]
    if (v && typeof v === 'object') return [...here, ...Object.entries(v).flatMap(([k, x]) => paths(x, [...at, k]))]
    return here
  }
  function mutate(base: unknown, muts: [(string | number)[], (v: unknown) => unknown][]): string {
    const doc = structuredClone(base) as Record<string | number, unknown>
    for (const [path, f] of muts) {
      let parent: Record<string | number, unknown> | undefined = doc
      for (const key of path.slice(0, -1)) parent = parent && typeof parent === 'object' ? (parent[key] as Record<string | number, unknown>) : undefined
      if (!parent || typeof parent !== 'object') continue
      const last = path.at(-1)!
      const next = f(parent[last])
      if (next === undefined) delete parent[last]
      else parent[last] = next
    }
    return JSON.stringify(doc)
  }
  const mutated = fc
    .nat(FIXTURES.length - 1)
    .chain((n) => fc.array(fc.tuple(fc.constantFrom(...paths(FIXTURES[n])), value), { minLength: 1, maxLength: 4 }).map((muts) => mutate(FIXTURES[n], muts)))

  it('normalize returns valid events or throws a plain Error, for random bytes, random JSON and mutated real pages', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => normalizeSafely(Buffer.from(bytes))),
      { numRuns: 200 },
    )
    fc.assert(
      fc.property(fc.jsonValue(), (v) => normalizeSafely(JSON.stringify(v))),
      { numRuns: 300 },
    )
    fc.assert(
      fc.property(
        fc.constantFrom('youtube#commentThreadListResponse', 'youtube#commentListResponse', undefined),
        fc.array(fc.jsonValue(), { maxLength: 5 }),
        (kind, items) => normalizeSafely(JSON.stringify({ kind, items })),
      ),
      { numRuns: 300 },
    )
    fc.assert(
      fc.property(mutated, (raw) => normalizeSafely(raw)),
      { numRuns: 1000 },
    )
  })

  it('through the job: unreadable pages are marked failed with a reason, the rest processed, the app keeps serving', async () => {
    await start()
    const bodies = [...fc.sample(mutated, { numRuns: 40, seed: 20260504 }), '{"items":', 'null', '{"items":{"a":1}}', HUGE]
    for (const [i, body] of bodies.entries()) {
      await env.t.app.services.deliveries.store({
        platform: 'youtube',
        channelId: cid,
        dedupeKey: `youtube:fuzz:${i}`,
        rawBody: Buffer.from(body, 'utf8'),
        receivedAt: now,
      })
    }
    await env.t.jobs.idle()
    const states = rows<{ state: string; error: string | null }>(env.t, "SELECT state, error FROM deliveries WHERE dedupe_key LIKE 'youtube:fuzz:%'")
    expect(states).toHaveLength(bodies.length)
    for (const s of states) {
      expect(['processed', 'failed']).toContain(s.state)
      if (s.state === 'failed') expect(s.error).toMatch(/^YouTube /)
    }
    expect(states.filter((s) => s.state === 'failed').length).toBeGreaterThanOrEqual(4)
    expect(rows(env.t, "SELECT error FROM deliveries WHERE dedupe_key = 'youtube:fuzz:40'")).toEqual([{ error: 'YouTube page is not JSON' }])
    const longest = rows<{ n: number }>(env.t, "SELECT max(length(text)) AS n FROM messages WHERE platform = 'youtube'")[0]!.n
    expect(longest).toBeLessThanOrEqual(4000)
    expect((await env.t.app.inject({ url: '/healthz' })).statusCode).toBe(200)
  })
})
