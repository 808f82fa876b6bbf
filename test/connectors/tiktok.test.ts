// The TikTok connector end to end: signed webhook deliveries over HTTP into real SQLite, replies
// through the real sender against the local fake TikTok API, the normalizer under fuzzing, and the
// simulator's pieces. Fixtures under test/fixtures/tiktok are the reference's real-format examples
// (platform-specs.md §8) plus Indonesian and Javanese (Tegal ngapak) variants.
import fc from 'fast-check'
import { createHmac } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { tiktokConnector } from '../../server/src/connectors/tiktok/index.ts'
import { MISSING_COMMENT_TEXT, UNKNOWN_COMMENTER } from '../../server/src/connectors/tiktok/normalize-comment.ts'
import type { DeliveryInput, NormalizedEvent, OpenChannel } from '../../server/src/connectors/types.ts'
import { startFakeApi } from '../../server/src/simulator/fake-api.ts'
import { FAKE_APIS } from '../../server/src/simulator/platforms/index.ts'
import { tiktokMaker } from '../../server/src/simulator/platforms/tiktok.ts'
import type { SimChannel, SimPost } from '../../server/src/simulator/types.ts'
import { createTestApp, eventually, signIn, type SignedIn, type TestApp } from '../helpers/app.ts'
import { countRows, createAppWithFakeApi, DEMO_CHANNELS, DEMO_SECRETS, postRaw, rows } from '../helpers/webhooks.ts'
import type { FakeApi } from '../../server/src/simulator/fake-api.ts'

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '../fixtures/tiktok')
/** A fixture's exact bytes, as TikTok would send them. */
const fixture = (name: string): Buffer => readFileSync(join(FIXTURES, name))
const FIXTURE_NAMES = [
  'comment-reply-reference.json',
  'comment-top-id.json',
  'comment-owner-reply-id.json',
  'comment-delete.json',
  'comment-hidden.json',
  'dm-receive-reference.json',
  'dm-receive-id.json',
  'dm-send-native-id.json',
  'dm-image.json',
  'dm-mark-read.json',
]

const ACCOUNT = '7300000000000000001'
const SECRET = DEMO_SECRETS.tiktok.clientSecret!
const T0 = Date.UTC(2026, 10, 23, 2, 0, 0) // the fixtures' citizen time: Monday 23 Nov 2026, 09:00 WIB
const TOP_THREAD = '7440000000000000123:7441122334455667788'
const DM_THREAD = '0:1:7300000000000000001:7299999999999999991'

/** TikTok-Signature computed independently of the code under test. */
const sign = (body: Buffer | string, tSeconds: number, secret = SECRET) =>
  `t=${tSeconds},s=${createHmac('sha256', secret).update(`${tSeconds}.`).update(body).digest('hex')}`

/** An envelope like TikTok's, with `content` as a JSON string. */
const envelope = (event: string, content: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    client_key: 'aw3k9tanggapdemo',
    event,
    create_time: Math.floor(T0 / 1000),
    user_openid: ACCOUNT,
    content: JSON.stringify(content),
    ...extra,
  })

const commentContent = (over: Record<string, unknown>) => ({
  comment_id: '7441122334455667788',
  video_id: '7440000000000000123',
  parent_comment_id: '0',
  comment_type: 'comment',
  comment_action: 'insert',
  unique_identifier: 'warga.slawi',
  timestamp: T0,
  text: 'Min, lampu PJU ning Jl. Mayjend Sutoyo mati 😡',
  username: 'Warga Slawi',
  ...over,
})

interface MessageRow {
  external_id: string
  parent_external_id: string | null
  direction: string
  author_name: string
  author_external_id: string | null
  text: string
  sent_at: number
  deleted_at: number | null
  external_thread_id: string
  kind: string
  status: string
  first_response_seconds: number | null
  item_id: number
}
const messageRows = (t: TestApp) =>
  rows<MessageRow>(
    t,
    `SELECT m.external_id, m.parent_external_id, m.direction, m.author_name, m.author_external_id, m.text, m.sent_at, m.deleted_at,
    i.external_thread_id, i.kind, i.status, i.first_response_seconds, i.id AS item_id FROM messages m JOIN items i ON i.id = m.item_id ORDER BY m.sent_at, m.id`,
  )
const itemRow = (t: TestApp, thread: string) =>
  rows<{ id: number; status: string; first_response_seconds: number | null; awaiting_since: number | null; citizen_name: string }>(
    t,
    'SELECT id, status, first_response_seconds, awaiting_since, citizen_name FROM items WHERE external_thread_id = ?',
    thread,
  )[0]
const deliveryRows = (t: TestApp) =>
  rows<{ id: number; state: string; error: string | null; flag: string | null }>(
    t,
    'SELECT id, state, error, flag FROM deliveries WHERE platform = ? ORDER BY id',
    'tiktok',
  )

// ---------------------------------------------------------------------------------------------
describe('TikTok webhook: signed deliveries become messages', () => {
  let t: TestApp
  let now: number
  /** Signs with the app's current time, as TikTok signs at delivery time. */
  const post = (body: Buffer | string, headers?: Record<string, string>) =>
    postRaw(t, '/webhooks/tiktok', body, headers ?? { 'TikTok-Signature': sign(body, Math.floor(now / 1000)) })
  const ingest = async (...bodies: (Buffer | string)[]) => {
    for (const b of bodies) expect((await post(b)).statusCode).toBe(200)
    await t.jobs.idle()
  }

  beforeEach(async () => {
    now = Date.now()
    t = await createTestApp({ clock: () => now })
  })
  afterEach(() => t.close())

  it('reads the reference comment.update: a reply in its top-level comment’s thread, 19-digit ids exact, the platform’s time', async () => {
    const res = await post(fixture('comment-reply-reference.json'))
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual({ ok: true })
    await t.jobs.idle()
    const [m] = messageRows(t)
    expect(m).toMatchObject({
      // As JS numbers these would have become …566900 and …902800: the ids survive as their digits.
      external_id: '7247303576418566913',
      parent_external_id: '7235861947622916866',
      external_thread_id: '7203946942097902849:7235861947622916866',
      kind: 'comment',
      direction: 'in',
      sent_at: 1687394416109,
      author_external_id: '367b786990e8dcebcf493e035b820f5be4834422511c851b3bd0010f9690adbc',
      author_name: 'Pengguna TikTok',
      status: 'open',
    })
    // The reference payload has no text (⚠ disputed): the inbox says so instead of showing nothing.
    expect(m!.text).toContain('tidak disertakan TikTok')
  })

  it('puts an Indonesian comment in the channel OPD’s inbox with its author, text and time', async () => {
    await ingest(fixture('comment-top-id.json'))
    const admin = await signIn(t.app, 'kominfo')
    const { items } = (await t.app.inject({ url: '/api/items', headers: admin.headers })).json()
    expect(items).toHaveLength(1)
    expect(items[0]).toMatchObject({
      platform: 'tiktok',
      kind: 'comment',
      status: 'open',
      opd: { code: 'diskominfo' },
      channelName: 'TikTok @pemkabtegal',
      citizenName: 'Mas Wédhus Adiwérna 🐐',
      awaitingSince: T0,
      firstMessageAt: T0,
      preview: 'Dalan ning Desa Kalisapu rusak pisan, bolongé gedhé-gedhé 😡 kepriben kiye Pak Bupati? Aja suwé-suwé ndandani 🙏 #Tegal',
    })
    const detail = (await t.app.inject({ url: `/api/items/${items[0].id}`, headers: admin.headers })).json()
    expect(detail.messages).toHaveLength(1)
    expect(detail.messages[0]).toMatchObject({ direction: 'in', authorName: 'Mas Wédhus Adiwérna 🐐', sentAt: T0 })
    expect(detail.replyWindowClosesAt).toBeNull()
    expect(messageRows(t)[0]).toMatchObject({
      external_id: '7441122334455667788',
      external_thread_id: TOP_THREAD,
      author_external_id: 'mas.wedhus_adiwerna',
      parent_external_id: null,
    })
    // The supervisor sees it too; another OPD's admin does not.
    const supervisor = await signIn(t.app, 'prokompim')
    expect((await t.app.inject({ url: '/api/items', headers: supervisor.headers })).json().items).toHaveLength(1)
    const other = await signIn(t.app, 'dishub')
    expect((await t.app.inject({ url: '/api/items', headers: other.headers })).json().items).toHaveLength(0)
  })

  it('reads the reference DM (im_receive_msg) into a conversation thread, timestamps in ms', async () => {
    await ingest(fixture('dm-receive-reference.json'))
    expect(messageRows(t)).toEqual([
      expect.objectContaining({
        external_id: '7311111111111111111',
        external_thread_id: '0:1:7300000000000000001:7288888888888888888',
        kind: 'dm',
        direction: 'in',
        text: 'Hello',
        author_name: 'budi.slawi',
        author_external_id: '7288888888888888888',
        sent_at: 1700000000000,
        parent_external_id: '7310000000000000000',
      }),
    ])
  })

  it('shows a picture DM as such, and ignores read receipts and visibility changes', async () => {
    await ingest(fixture('dm-image.json'), fixture('dm-mark-read.json'), fixture('comment-hidden.json'))
    expect(messageRows(t).map((m) => [m.kind, m.text])).toEqual([['dm', '[Gambar]']])
    expect(deliveryRows(t).map((d) => d.state)).toEqual(['processed', 'processed', 'processed'])
  })

  it('marks a comment the citizen deleted, keeping what it said', async () => {
    await ingest(fixture('comment-top-id.json'), fixture('comment-delete.json'))
    const [m] = messageRows(t)
    expect(m!.deleted_at).toBe(T0 + 3_600_000)
    expect(rows<{ previous_text: string }>(t, 'SELECT previous_text FROM message_revisions')[0]!.previous_text).toContain('Kalisapu rusak pisan')
  })

  it('keeps a delivery for an account no channel has, flagged, without a message', async () => {
    await ingest(envelope('comment.update', commentContent({}), { user_openid: '7300000000000009999' }))
    expect(countRows(t, 'messages')).toBe(0)
    expect(deliveryRows(t)).toEqual([expect.objectContaining({ state: 'processed', flag: 'unknown_account' })])
  })

  describe('signature', () => {
    const body = () => fixture('comment-top-id.json')
    const rejected = async (b: Buffer | string, headers: Record<string, string>) => {
      const before = countRows(t, 'deliveries')
      const res = await post(b, headers)
      expect(res.statusCode).toBe(401)
      expect(res.json().error.code).toBe('UNAUTHENTICATED')
      expect(countRows(t, 'deliveries')).toBe(before)
    }

    it('refuses a missing, malformed or wrongly keyed signature, and a tampered body, storing nothing', async () => {
      const t0 = Math.floor(now / 1000)
      await rejected(body(), {})
      await rejected(body(), { 'TikTok-Signature': '' })
      await rejected(body(), { 'TikTok-Signature': `s=${sign(body(), t0).split(',s=')[1]}` })
      await rejected(body(), { 'TikTok-Signature': `t=${t0},s=zz-not-hex` })
      await rejected(body(), { 'TikTok-Signature': sign(body(), t0, 'not-the-client-secret') })
      await rejected(body(), { 'TikTok-Signature': sign(body(), t0, DEMO_SECRETS.meta.appSecret!) })
      // Signed body, one byte changed.
      const tampered = Buffer.from(body().toString('utf8').replace('Kalisapu', 'Kalisapi'), 'utf8')
      await rejected(tampered, { 'TikTok-Signature': sign(body(), t0) })
      // The timestamp is part of what is signed: a replay with a fresh t= and the old s= fails.
      const old = sign(body(), t0 - 60)
      await rejected(body(), { 'TikTok-Signature': `t=${t0},s=${old.split(',s=')[1]}` })
      expect(countRows(t, 'messages')).toBe(0)
    })

    it('accepts a signature up to five minutes old or early, and refuses one outside that window', async () => {
      const signedAt = Math.floor(now / 1000)
      const header = sign(body(), signedAt)
      now += 6 * 60_000
      await rejected(body(), { 'TikTok-Signature': header })
      now = signedAt * 1000 - 6 * 60_000
      await rejected(body(), { 'TikTok-Signature': header })
      now = signedAt * 1000 + 4 * 60_000 + 59_000
      expect((await post(body(), { 'TikTok-Signature': header })).statusCode).toBe(200)
      await t.jobs.idle()
      expect(countRows(t, 'messages')).toBe(1)
    })
  })

  describe('dedupe and volume', () => {
    it('stores a delivery sent three times once, also when TikTok re-signs it on retry', async () => {
      const b = fixture('dm-receive-id.json')
      for (let i = 0; i < 3; i++) expect((await post(b)).statusCode).toBe(200)
      now += 90_000
      expect((await post(b)).statusCode).toBe(200)
      await t.jobs.idle()
      expect(countRows(t, 'deliveries', 'platform = ?', 'tiktok')).toBe(1)
      expect(countRows(t, 'messages')).toBe(1)
      expect(countRows(t, 'items')).toBe(1)
    })

    it('counts one message when the same event comes again in different bytes', async () => {
      const again = JSON.stringify(JSON.parse(fixture('comment-top-id.json').toString('utf8')))
      await ingest(fixture('comment-top-id.json'), again)
      expect(countRows(t, 'deliveries', 'platform = ?', 'tiktok')).toBe(2)
      expect(countRows(t, 'messages')).toBe(1)
    })

    it('turns 50 different events (one per delivery, as TikTok sends them) into 50 messages', async () => {
      const bodies = Array.from({ length: 50 }, (_, i) =>
        i % 2 === 0
          ? envelope(
              'comment.update',
              commentContent({
                comment_id: String(7441000000000000000n + BigInt(i)),
                text: `Komentar ke-${i}: kapan jalan diperbaiki? 🙏`,
                timestamp: T0 + i * 1000,
              }),
            )
          : envelope('im_receive_msg', {
              conversation_id: `conv-${i}`,
              message_id: String(7312000000000100000n + BigInt(i)),
              timestamp: T0 + i * 1000,
              type: 'text',
              text: { body: `Pesan ke-${i} 😊` },
              from: `Warga ${i}`,
              from_user: { id: `72999${i}` },
              to_user: { id: ACCOUNT },
            }),
      )
      await Promise.all(bodies.map(async (b) => expect((await post(b)).statusCode).toBe(200)))
      await t.jobs.idle()
      expect(countRows(t, 'deliveries', "platform = 'tiktok' AND state = 'processed'")).toBe(50)
      expect(countRows(t, 'messages')).toBe(50)
      expect(countRows(t, 'items', "kind = 'comment'")).toBe(25)
      expect(countRows(t, 'items', "kind = 'dm'")).toBe(25)
    })
  })

  describe('Indonesian text', () => {
    it('keeps names and texts with diacritics and emoji byte for byte, raw UTF-8 or \\u-escaped', async () => {
      await ingest(fixture('dm-receive-id.json'), fixture('comment-top-id.json'))
      const byId = new Map(messageRows(t).map((m) => [m.external_id, m]))
      const dm = byId.get('7312000000000000001')!
      const expected = 'Nyong arep takon, KTP-el kiye wis dadi durung? Wis sewulan ora ana kabar 😩🙏 — suwun Pak/Bu. Alamaté Jl. Raya Banjarané No. 7'
      expect(Buffer.from(dm.text, 'utf8').equals(Buffer.from(expected, 'utf8'))).toBe(true)
      expect(Buffer.from(dm.author_name, 'utf8').equals(Buffer.from('Ni Ketut Sriwédari ✨', 'utf8'))).toBe(true)
      const comment = byId.get('7441122334455667788')!
      expect(comment.text).toBe('Dalan ning Desa Kalisapu rusak pisan, bolongé gedhé-gedhé 😡 kepriben kiye Pak Bupati? Aja suwé-suwé ndandani 🙏 #Tegal')
      expect(comment.author_name).toBe('Mas Wédhus Adiwérna 🐐')
    })

    it('stores at most 4000 characters of a very long comment, ending in “…”, without splitting an emoji', async () => {
      const long = `${'a'.repeat(3998)}😀 lanjutan yang tidak muat`
      await ingest(envelope('comment.update', commentContent({ text: long })))
      const [m] = messageRows(t)
      expect(m!.text).toBe(`${'a'.repeat(3998)}…`)
      const longer = `Warga Désa ${'🙏'.repeat(2500)}`
      await ingest(envelope('comment.update', commentContent({ comment_id: '7441122334455660001', text: longer })))
      const m2 = messageRows(t).find((r) => r.external_id === '7441122334455660001')!
      expect(m2.text.length).toBeLessThanOrEqual(4000)
      expect(m2.text.endsWith('…')).toBe(true)
      expect(longer.startsWith(m2.text.slice(0, -1))).toBe(true)
      expect(Buffer.from(m2.text, 'utf8').toString('utf8')).toBe(m2.text)
    })
  })

  describe('native replies stop the clock', () => {
    it('an owner: true reply typed in the TikTok app answers the comment, timed by TikTok’s timestamps', async () => {
      await ingest(fixture('comment-top-id.json'), fixture('comment-owner-reply-id.json'))
      expect(itemRow(t, TOP_THREAD)).toMatchObject({
        status: 'answered',
        first_response_seconds: 95 * 60,
        awaiting_since: null,
        citizen_name: 'Mas Wédhus Adiwérna 🐐',
      })
      expect(messageRows(t).map((m) => [m.direction, m.external_id, m.parent_external_id])).toEqual([
        ['in', '7441122334455667788', null],
        ['out', '7441122334455669999', '7441122334455667788'],
      ])
    })

    it('an im_send_msg typed in the TikTok app answers the DM', async () => {
      await ingest(fixture('dm-receive-id.json'), fixture('dm-send-native-id.json'))
      expect(itemRow(t, DM_THREAD)).toMatchObject({ status: 'answered', first_response_seconds: 600 })
      expect(messageRows(t).map((m) => m.direction)).toEqual(['in', 'out'])
    })

    it('a citizen writing again after the answer reopens the item', async () => {
      await ingest(fixture('comment-top-id.json'), fixture('comment-owner-reply-id.json'))
      await ingest(
        envelope(
          'comment.update',
          commentContent({
            comment_id: '7441122334455670000',
            parent_comment_id: '7441122334455667788',
            comment_type: 'reply',
            timestamp: T0 + 3 * 3_600_000,
            text: 'Suwun, ditunggu ya min',
          }),
        ),
      )
      expect(itemRow(t, TOP_THREAD)).toMatchObject({ status: 'open', awaiting_since: T0 + 3 * 3_600_000, first_response_seconds: 95 * 60 })
    })
  })
})

// ---------------------------------------------------------------------------------------------
describe('TikTok replies from Tanggap, against the fake TikTok API', () => {
  let t: TestApp
  let api: FakeApi
  let close: () => Promise<void>
  let admin: SignedIn
  let now: number

  const post = async (body: Buffer | string) => {
    expect((await postRaw(t, '/webhooks/tiktok', body, { 'TikTok-Signature': sign(body, Math.floor(now / 1000)) })).statusCode).toBe(200)
    await t.jobs.idle()
  }
  const reply = (itemId: number, text: string) =>
    t.app.inject({ method: 'POST', url: `/api/items/${itemId}/replies`, headers: admin.headers, payload: { text } })
  const settled = async (itemId: number) => {
    await t.jobs.idle()
    return eventually(async () => {
      const d = (await t.app.inject({ url: `/api/items/${itemId}`, headers: admin.headers })).json()
      return d.replies.length && d.replies.every((r: { state: string }) => r.state !== 'pending') ? d : null
    })
  }
  const tiktokPosts = () => api.callsTo('tiktok').filter((c) => c.method === 'POST')

  beforeEach(async () => {
    // Two hours after the fixtures' citizen messages.
    now = T0 + 2 * 3_600_000
    ;({ t, api, close } = await createAppWithFakeApi({ clock: () => now }))
    admin = await signIn(t.app, 'kominfo')
  })
  afterEach(() => close())

  it('replies to the top-level comment with the token and ids TikTok needs; its echo counts once', async () => {
    await post(fixture('comment-top-id.json'))
    const item = itemRow(t, TOP_THREAD)!
    const text = 'Terima kasih laporannya, Mas 🙏 sudah kami teruskan ke DPUPR.'
    expect((await reply(item.id, text)).statusCode).toBe(201)
    const detail = await settled(item.id)
    expect(detail.replies[0]).toMatchObject({ state: 'sent', error: null })
    expect(detail.item.status).toBe('answered')
    const calls = tiktokPosts()
    expect(calls).toHaveLength(1)
    expect(calls[0]!.path).toBe('/business/comment/reply/create/')
    expect(calls[0]!.headers['access-token']).toBe(DEMO_SECRETS.tiktok.accessToken)
    expect(calls[0]!.body).toEqual({ business_id: ACCOUNT, video_id: '7440000000000000123', comment_id: '7441122334455667788', text })

    // TikTok then reports our own reply as a comment.update insert with the id it returned.
    const sentId = rows<{ external_id: string }>(t, 'SELECT external_id FROM replies')[0]!.external_id
    expect(sentId).toMatch(/^\d{19}$/)
    await post(
      envelope(
        'comment.update',
        commentContent({
          comment_id: sentId,
          parent_comment_id: '7441122334455667788',
          comment_type: 'reply',
          owner: true,
          unique_identifier: ACCOUNT,
          username: 'pemkabtegal',
          text,
          timestamp: now,
        }),
      ),
    )
    expect(messageRows(t).filter((m) => m.direction === 'out')).toHaveLength(1)
    expect(countRows(t, 'messages')).toBe(2)
    expect(itemRow(t, TOP_THREAD)!.status).toBe('answered')
  })

  it('sends a DM into the conversation; the im_send_msg echo counts once', async () => {
    await post(fixture('dm-receive-id.json'))
    const item = itemRow(t, DM_THREAD)!
    const text = 'Sugeng siang Bu, KTP-el sampun dados 😊 monggo dipundhut ing Disdukcapil.'
    await reply(item.id, text)
    expect((await settled(item.id)).replies[0].state).toBe('sent')
    const [call] = tiktokPosts()
    expect(call!.path).toBe('/business/message/send/')
    expect(call!.body).toEqual({ business_id: ACCOUNT, recipient_type: 'CONVERSATION', recipient: DM_THREAD, message_type: 'TEXT', text: { body: text } })
    const sentId = rows<{ external_id: string }>(t, 'SELECT external_id FROM replies')[0]!.external_id
    await post(
      envelope('im_send_msg', {
        conversation_id: DM_THREAD,
        message_id: sentId,
        timestamp: now,
        type: 'text',
        text: { body: text },
        from: 'pemkabtegal',
        from_user: { id: ACCOUNT },
        to_user: { id: '7299999999999999991' },
      }),
    )
    expect(messageRows(t).map((m) => m.direction)).toEqual(['in', 'out'])
  })

  it('retries a 5xx and succeeds', async () => {
    await post(fixture('comment-top-id.json'))
    const item = itemRow(t, TOP_THREAD)!
    api.failNext('tiktok', 1, 500, { code: 50000, message: 'System error', request_id: '2026112302000001', data: {} })
    await reply(item.id, 'Siap, segera kami tindak lanjuti.')
    const detail = await settled(item.id)
    expect(detail.replies[0]).toMatchObject({ state: 'sent', error: null })
    expect(tiktokPosts()).toHaveLength(2)
  })

  it('retries TikTok’s rate-limit code 40100 even though it comes with HTTP 200', async () => {
    await post(fixture('dm-receive-id.json'))
    const item = itemRow(t, DM_THREAD)!
    api.failNext('tiktok', 1, 200, { code: 40100, message: 'Requests made too frequently.', request_id: 'r1', data: {} })
    await reply(item.id, 'Mohon ditunggu nggih.')
    expect((await settled(item.id)).replies[0].state).toBe('sent')
    expect(tiktokPosts()).toHaveLength(2)
  })

  it('does not retry a 400 and shows TikTok’s message on the item', async () => {
    await post(fixture('comment-top-id.json'))
    const item = itemRow(t, TOP_THREAD)!
    api.failNext('tiktok', 1, 400, { code: 40002, message: 'Invalid params: comment_id 7441122334455667788 does not exist', request_id: 'r2', data: {} })
    await reply(item.id, 'Baik, kami cek.')
    const detail = await settled(item.id)
    expect(detail.replies[0].state).toBe('failed')
    expect(detail.replies[0].error).toContain('comment_id 7441122334455667788 does not exist')
    expect(detail.replies[0].error).toContain('40002')
    expect(tiktokPosts()).toHaveLength(1)
    expect(detail.item.status).toBe('open')
  })

  it('does not retry a revoked token reported as HTTP 200 with code 40105', async () => {
    await post(fixture('dm-receive-id.json'))
    const item = itemRow(t, DM_THREAD)!
    api.failNext('tiktok', 1, 200, { code: 40105, message: 'Access token is incorrect or has been revoked.', request_id: 'r3', data: {} })
    await reply(item.id, 'Halo Bu')
    const detail = await settled(item.id)
    expect(detail.replies[0]).toMatchObject({ state: 'failed', error: expect.stringContaining('has been revoked') })
    expect(tiktokPosts()).toHaveLength(1)
  })

  it('gives up after the last attempt of repeated 5xx, with the error shown', async () => {
    await post(fixture('comment-top-id.json'))
    const item = itemRow(t, TOP_THREAD)!
    api.failNext('tiktok', 3, 503, { code: 51000, message: 'System busy, please retry later', request_id: 'r4', data: {} })
    await reply(item.id, 'Baik.')
    const detail = await settled(item.id)
    expect(detail.replies[0]).toMatchObject({ state: 'failed', error: expect.stringContaining('System busy') })
    expect(tiktokPosts()).toHaveLength(3)
  })

  it('refuses a comment reply over 150 characters with a clear message, without calling TikTok', async () => {
    await post(fixture('comment-top-id.json'))
    const item = itemRow(t, TOP_THREAD)!
    const long = `Terima kasih atas laporannya 🙏 ${'Tim DPUPR akan meninjau lokasi. '.repeat(5)}`
    expect([...long].length).toBeGreaterThan(150)
    await reply(item.id, long)
    const detail = await settled(item.id)
    expect(detail.replies[0].state).toBe('failed')
    expect(detail.replies[0].error).toContain('maksimal 150 karakter')
    expect(detail.replies[0].error).toContain('at most 150 characters')
    expect(tiktokPosts()).toHaveLength(0)
    // Exactly 150 (emoji counted as one character each) goes through.
    const exact = `${'🙏'.repeat(10)}${'a'.repeat(140)}`
    await reply(item.id, exact)
    const again = await settled(item.id)
    expect(again.replies.map((r: { state: string }) => r.state).sort()).toEqual(['failed', 'sent'])
  })

  it('has no reply window: a DM is still answered a month later', async () => {
    await post(fixture('dm-receive-id.json'))
    const item = itemRow(t, DM_THREAD)!
    now = T0 + 30 * 86_400_000
    admin = await signIn(t.app, 'kominfo')
    const res = await reply(item.id, 'Mohon maaf baru kami balas, Bu.')
    expect(res.statusCode).toBe(201)
    const detail = await settled(item.id)
    expect(detail.replyWindowClosesAt).toBeNull()
    expect(detail.replies[0].state).toBe('sent')
    expect(detail.item.firstResponseSeconds).toBe(30 * 86_400)
  })
})

// ---------------------------------------------------------------------------------------------
describe('TikTok comments without text: read from comment/list before storing', () => {
  const demo = DEMO_CHANNELS.find((c) => c.platform === 'tiktok')!
  const channel: SimChannel = { platform: 'tiktok', accountId: demo.accountId, name: demo.name, credentials: demo.credentials! }
  const VIDEO = '7460000000000000000'
  let t: TestApp
  let api: FakeApi
  let close: () => Promise<void>
  let now: number

  /** A comment the simulator delivers; an even id makes it come without text, username or owner. */
  const comment = (over: Partial<SimPost> & { messageId: string }): SimPost => ({
    kind: 'comment',
    text: 'x',
    authorName: 'x',
    authorId: 'warga.tegal',
    threadId: VIDEO,
    at: T0,
    ...over,
  })
  /** The simulator's body (the fake API then knows the comment), signed independently and posted to the webhook. */
  const deliver = async (...posts: SimPost[]) => {
    for (const p of posts) {
      const { body } = tiktokMaker.make(channel, [p])
      expect(JSON.parse(body).content).not.toContain('"text"')
      const res = await postRaw(t, '/webhooks/tiktok', body, { 'TikTok-Signature': sign(body, Math.floor(now / 1000)) })
      expect(res.statusCode).toBe(200)
    }
    await t.jobs.idle()
  }
  const listCalls = () => api.callsTo('tiktok').filter((c) => c.method === 'GET' && c.path === '/business/comment/list/')

  beforeEach(async () => {
    now = T0 + 2 * 3_600_000
    ;({ t, api, close } = await createAppWithFakeApi({ clock: () => now }))
  })
  afterEach(() => close())

  it('stores the fetched text, author and thread of a comment.update without text, byte for byte', async () => {
    const text = 'Pak Bupati, dalan ning Désa Pagerbarang bolongé gedhé-gedhé 😡🙏 — kapan didandani? #Tegal'
    const author = 'Ni Ketut Sriwédari ✨'
    await deliver(
      comment({ messageId: '7461000000000000002', text, authorName: author, authorId: 'sriwedari.tgl' }),
      comment({
        messageId: '7461000000000000004',
        text: 'Nyong uga setuju 👍',
        authorName: 'Kang Darsono',
        authorId: 'darsono_',
        parentId: '7461000000000000002',
        at: T0 + 60_000,
      }),
    )
    const [top, reply] = messageRows(t)
    expect(top).toMatchObject({
      external_id: '7461000000000000002',
      external_thread_id: `${VIDEO}:7461000000000000002`,
      parent_external_id: null,
      kind: 'comment',
      direction: 'in',
      author_external_id: 'sriwedari.tgl',
      sent_at: T0,
      status: 'open',
    })
    expect(Buffer.from(top!.text, 'utf8').equals(Buffer.from(text, 'utf8'))).toBe(true)
    expect(Buffer.from(top!.author_name, 'utf8').equals(Buffer.from(author, 'utf8'))).toBe(true)
    expect(reply).toMatchObject({
      external_id: '7461000000000000004',
      external_thread_id: `${VIDEO}:7461000000000000002`,
      parent_external_id: '7461000000000000002',
      text: 'Nyong uga setuju 👍',
      author_name: 'Kang Darsono',
      author_external_id: 'darsono_',
      sent_at: T0 + 60_000,
      item_id: top!.item_id,
    })
    expect(itemRow(t, `${VIDEO}:7461000000000000002`)).toMatchObject({ status: 'open', citizen_name: author })
    // One lookup per delivery: the account's token, business_id, the video and the 19-digit id as a JSON string.
    const calls = listCalls()
    expect(calls.map((c) => c.query.comment_ids)).toEqual(['["7461000000000000002"]', '["7461000000000000004"]'])
    expect(calls[0]!.query).toMatchObject({ business_id: ACCOUNT, video_id: VIDEO })
    expect(calls[0]!.headers['access-token']).toBe(DEMO_SECRETS.tiktok.accessToken)
    expect(deliveryRows(t).map((d) => [d.state, d.error])).toEqual([
      ['processed', null],
      ['processed', null],
    ])
  })

  it('keeps the webhook’s time of the comment, taking the list’s create_time only when the webhook has none', async () => {
    const p = comment({ messageId: '7465000000000000002', text: 'Jam pira kantor kecamatan buka?', authorName: 'Bu Tari', at: T0 + 30_000 })
    const env = JSON.parse(tiktokMaker.make(channel, [p]).body) as { content: string; create_time: number }
    // The content stays a string, so its bare ids keep their digits.
    env.content = env.content.replace(/,"timestamp":\d+/, '')
    env.create_time = Math.floor((T0 + 5 * 60_000) / 1000)
    const body = JSON.stringify(env)
    expect((await postRaw(t, '/webhooks/tiktok', body, { 'TikTok-Signature': sign(body, Math.floor(now / 1000)) })).statusCode).toBe(200)
    await deliver(comment({ messageId: '7465000000000000004', text: 'Suwun', authorName: 'Bu Tari', at: T0 + 7 * 60_000 }))
    expect(messageRows(t).map((m) => [m.external_id, m.text, m.sent_at])).toEqual([
      ['7465000000000000002', 'Jam pira kantor kecamatan buka?', T0 + 30_000],
      ['7465000000000000004', 'Suwun', T0 + 7 * 60_000],
    ])
  })

  it('takes an owner: true comment from the list as the government’s reply, which stops the clock', async () => {
    // The webhook names the author only by a handle, so only the list's owner flag says it is the account.
    await deliver(
      comment({ messageId: '7462000000000000002', text: 'Sampah ning Pasar Banjaran numpuk 🤢', authorName: 'Dédé Kurniasih', authorId: 'dede.kurnia' }),
      comment({
        messageId: '7462000000000000004',
        text: 'Siap, petugas DLH meluncur 🚛',
        authorName: 'pemkabtegal',
        authorId: 'pemkabtegal',
        parentId: '7462000000000000002',
        fromAccount: true,
        at: T0 + 20 * 60_000,
      }),
    )
    expect(messageRows(t).map((m) => [m.direction, m.author_name, m.text])).toEqual([
      ['in', 'Dédé Kurniasih', 'Sampah ning Pasar Banjaran numpuk 🤢'],
      ['out', 'pemkabtegal', 'Siap, petugas DLH meluncur 🚛'],
    ])
    expect(itemRow(t, `${VIDEO}:7462000000000000002`)).toMatchObject({
      status: 'answered',
      first_response_seconds: 20 * 60,
      awaiting_since: null,
      citizen_name: 'Dédé Kurniasih',
    })
  })

  it('keeps the placeholder when TikTok fails (5xx, or a non-zero code with HTTP 200) or no longer has the comment; the delivery is processed', async () => {
    api.failNext('tiktok', 1, 500, { code: 50000, message: 'System error', request_id: 'r5', data: {} })
    await deliver(comment({ messageId: '7463000000000000002', text: 'Banjir maning ning Margadana 😭' }))
    api.failNext('tiktok', 1, 200, { code: 40001, message: 'No permission to operate this comment.', request_id: 'r6', data: {} })
    await deliver(comment({ messageId: '7463000000000000004', text: 'Kapan pasar dibenahi?' }))
    // A comment the simulator never made is what a comment deleted meanwhile looks like: the list leaves it out.
    const gone = envelope('comment.update', commentContent({ comment_id: '7463000000000000006', video_id: VIDEO, text: undefined, username: undefined }))
    expect((await postRaw(t, '/webhooks/tiktok', gone, { 'TikTok-Signature': sign(gone, Math.floor(now / 1000)) })).statusCode).toBe(200)
    await t.jobs.idle()

    expect(messageRows(t).map((m) => [m.external_id, m.text, m.author_name, m.direction])).toEqual([
      ['7463000000000000002', MISSING_COMMENT_TEXT, UNKNOWN_COMMENTER, 'in'],
      ['7463000000000000004', MISSING_COMMENT_TEXT, UNKNOWN_COMMENTER, 'in'],
      ['7463000000000000006', MISSING_COMMENT_TEXT, UNKNOWN_COMMENTER, 'in'],
    ])
    expect(deliveryRows(t).map((d) => [d.state, d.error])).toEqual([
      ['processed', null],
      ['processed', null],
      ['processed', null],
    ])
    // A failed lookup is not retried: one call per delivery.
    expect(listCalls()).toHaveLength(3)
    expect(itemRow(t, `${VIDEO}:7463000000000000002`)!.status).toBe('open')
  })

  it('looks up the comments of one video in one call (at most 30 ids), one call per further video', async () => {
    // TikTok sends one event per delivery, so several comments meet only when enrich is handed them together.
    const ctx = { opdIdByCode: () => undefined, triageOpdId: () => 1 }
    const eventsOf = (p: SimPost) =>
      tiktokConnector.normalize(
        {
          id: 1,
          platform: 'tiktok',
          channelId: null,
          dedupeKey: p.messageId,
          rawBody: Buffer.from(tiktokMaker.make(channel, [p]).body),
          receivedAt: now,
          trackingCode: null,
        },
        ctx,
      )
    const idOn = (video: bigint, i: number) => String(video + 2n * BigInt(i + 1))
    const OTHER = '7464100000000000000'
    const posts = [
      ...Array.from({ length: 32 }, (_, i) =>
        comment({ messageId: idOn(7464000000000000000n, i), text: `Komentar ${i} 🙏`, authorName: `Warga ${i}`, authorId: `warga.${i}` }),
      ),
      comment({ messageId: idOn(7464100000000000000n, 0), threadId: OTHER, text: 'Video liyané', authorName: 'Mbak Sri', authorId: 'mbak.sri' }),
    ]
    const events = [...posts.flatMap(eventsOf), ...eventsOf({ ...posts[0]!, kind: 'dm', messageId: '7464200000000000001', threadId: 'conv-1' })]
    expect(events.filter((e) => e.text === MISSING_COMMENT_TEXT)).toHaveLength(33)
    const open: OpenChannel = { id: 1, platform: 'tiktok', accountId: ACCOUNT, name: demo.name, credentials: demo.credentials!, settings: {} }
    const enriched = await tiktokConnector.enrich!(events, open, `${api.url}/tiktok`, fetch, { clock: () => now, log: { warn() {} } })

    const calls = listCalls()
    expect(calls.map((c) => [c.query.video_id, (JSON.parse(c.query.comment_ids!) as string[]).length])).toEqual([
      [VIDEO, 30],
      [VIDEO, 2],
      [OTHER, 1],
    ])
    // The ids go as a JSON array of strings, never as numbers.
    for (const c of calls) expect(c.query.comment_ids).toMatch(/^\["\d{19}"(,"\d{19}")*\]$/)
    expect(JSON.parse(calls[0]!.query.comment_ids!)).toEqual(posts.slice(0, 30).map((p) => p.messageId))
    expect(enriched.map((e) => e.text)).toEqual([...posts.map((p) => p.text), events[33]!.text])
    expect(enriched[31]).toMatchObject({
      authorName: 'Warga 31',
      authorExternalId: 'warga.31',
      externalThreadId: `${VIDEO}:${posts[31]!.messageId}`,
      sentAt: T0,
    })
  })
})

// ---------------------------------------------------------------------------------------------
describe('TikTok normalizer under hostile input', () => {
  const ctx = { opdIdByCode: () => undefined, triageOpdId: () => 1 }
  const delivery = (rawBody: Buffer): DeliveryInput => ({
    id: 1,
    platform: 'tiktok',
    channelId: null,
    dedupeKey: 'fuzz',
    rawBody,
    receivedAt: T0,
    trackingCode: null,
  })

  const checkEvent = (e: NormalizedEvent) => {
    expect(['add', 'edit', 'delete']).toContain(e.verb)
    expect(['comment', 'dm']).toContain(e.kind)
    expect(['in', 'out']).toContain(e.direction)
    for (const s of [e.accountId, e.externalId, e.externalThreadId]) expect(typeof s === 'string' && s.length > 0 && s.length <= 300).toBe(true)
    expect(typeof e.text).toBe('string')
    expect(e.text.length).toBeLessThanOrEqual(4000)
    expect(e.authorName.length).toBeGreaterThan(0)
    expect(e.authorName.length).toBeLessThanOrEqual(120)
    expect(Number.isSafeInteger(e.sentAt)).toBe(true)
  }
  /** normalize either returns well-formed events or throws a plain Error with a reason. */
  const survives = (body: Buffer) => {
    let events: NormalizedEvent[]
    try {
      events = tiktokConnector.normalize(delivery(body), ctx)
    } catch (err) {
      expect(err).toBeInstanceOf(Error)
      expect((err as Error).constructor).toBe(Error)
      expect((err as Error).message.length).toBeGreaterThan(0)
      return
    }
    expect(Array.isArray(events)).toBe(true)
    events.forEach(checkEvent)
  }

  // The fixtures as objects (ids lose digits here, which is one more mutation).
  const bases = FIXTURE_NAMES.map((name) => {
    const env = JSON.parse(fixture(name).toString('utf8')) as Record<string, unknown>
    return { env, content: JSON.parse(env.content as string) as Record<string, unknown> }
  })
  const huge = fc.integer({ min: 4_000, max: 120_000 }).map((n) => 'Désa 😀 '.repeat(Math.ceil(n / 8)))
  const hostile = fc.oneof(
    fc.jsonValue(),
    huge,
    fc.string(),
    fc.constantFrom(null, -1, 0, 1e308, 9007199254740993, '', 'NaN', '١٢٣', true, [], {}, '9'.repeat(40), '0'),
    fc.array(fc.jsonValue(), { maxLength: 3 }),
  )
  type Mutation = { where: 'env' | 'content'; pick: number; op: 'drop' | 'replace' | 'nest' | 'wrap'; value: unknown }
  const paths = (o: unknown, prefix: string[] = []): string[][] =>
    o && typeof o === 'object' ? Object.entries(o).flatMap(([k, v]) => [[...prefix, k], ...paths(v, [...prefix, k])]) : []
  const apply = (root: Record<string, unknown>, m: Mutation) => {
    const all = paths(root)
    if (!all.length) return
    const path = all[m.pick % all.length]!
    let parent = root as Record<string, unknown>
    for (const k of path.slice(0, -1)) parent = parent[k] as Record<string, unknown>
    const key = path[path.length - 1]!
    if (m.op === 'drop') delete parent[key]
    else if (m.op === 'replace') parent[key] = m.value
    else if (m.op === 'nest') parent[key] = { value: parent[key] }
    else parent[key] = [parent[key]]
  }
  const mutation: fc.Arbitrary<Mutation> = fc.record({
    where: fc.constantFrom('env' as const, 'content' as const),
    pick: fc.nat(),
    op: fc.constantFrom('drop' as const, 'replace' as const, 'nest' as const, 'wrap' as const),
    value: hostile,
  })
  const mutatedFixture = fc
    .tuple(fc.nat({ max: bases.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 4 }), fc.constantFrom('string', 'object', 'broken', 'kept'))
    .map(([i, muts, form]) => {
      const env = structuredClone(bases[i]!.env)
      const content = structuredClone(bases[i]!.content)
      for (const m of muts) apply(m.where === 'env' ? env : content, m)
      if (form === 'string') env.content = JSON.stringify(content)
      else if (form === 'object') env.content = content
      else if (form === 'broken') env.content = JSON.stringify(content).slice(0, -2)
      return Buffer.from(JSON.stringify(env), 'utf8')
    })
  const anyBody = fc.oneof(
    { arbitrary: mutatedFixture, weight: 6 },
    { arbitrary: fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a)), weight: 1 },
    { arbitrary: fc.jsonValue().map((v) => Buffer.from(JSON.stringify(v))), weight: 1 },
    {
      arbitrary: fc
        .record({
          event: fc.constantFrom('comment.update', 'COMMENT', 'im_receive_msg', 'im_send_msg'),
          user_openid: hostile,
          content: fc.oneof(
            fc.jsonValue().map((v) => JSON.stringify(v)),
            hostile,
          ),
        })
        .map((o) => Buffer.from(JSON.stringify(o))),
      weight: 2,
    },
  )

  it('returns well-formed events or throws a plain Error, for random and mutated deliveries', () => {
    fc.assert(fc.property(anyBody, survives), { numRuns: 600 })
  })

  it('reads every fixture as intended before mutation (the fuzzing starts from working input)', () => {
    const counts = FIXTURE_NAMES.map((n) => tiktokConnector.normalize(delivery(fixture(n)), ctx).length)
    expect(counts).toEqual([1, 1, 1, 1, 0, 1, 1, 1, 1, 0])
  })

  it('says why it cannot read a body', () => {
    const reason = (body: string) => {
      try {
        tiktokConnector.normalize(delivery(Buffer.from(body)), ctx)
        return 'no error'
      } catch (err) {
        return (err as Error).message
      }
    }
    expect(reason('<html>502 Bad Gateway</html>')).toBe('TikTok delivery is not valid JSON')
    expect(reason(JSON.stringify({ event: 'comment.update', user_openid: ACCOUNT, content: '{"comment_id": 7441' }))).toBe(
      'TikTok comment.update content is not valid JSON',
    )
    expect(reason(envelope('comment.update', commentContent({ comment_id: { nested: true } })))).toBe('TikTok comment insert without a usable comment_id')
    expect(reason(envelope('im_receive_msg', { conversation_id: 'c' }))).toBe('TikTok im_receive_msg without a usable message_id')
    expect(reason(JSON.stringify({ event: 'im_receive_msg', content: '{}' }))).toContain('user_openid')
    // Events we do not ingest are not errors.
    expect(reason(JSON.stringify({ event: 'authorization.removed', user_openid: ACCOUNT, content: '{"reason":1}' }))).toBe('no error')
  })

  it('through the job: the process keeps running and unreadable deliveries are failed with a reason', async () => {
    const t = await createTestApp()
    try {
      const bodies = [
        ...fc.sample(anyBody, { numRuns: 60, seed: 20261123 }),
        Buffer.from(JSON.stringify({ client_key: 'k', event: 'comment.update', create_time: 1795399200, user_openid: ACCOUNT, content: 'bukan JSON {' })),
        Buffer.from('<html>oops</html>'),
        Buffer.alloc(0),
      ]
      const seconds = Math.floor(Date.now() / 1000)
      for (const b of bodies) {
        const res = await postRaw(t, '/webhooks/tiktok', b, { 'TikTok-Signature': sign(b, seconds) })
        expect(res.statusCode).toBe(200)
      }
      await t.jobs.idle()
      const all = deliveryRows(t)
      expect(all.length).toBeGreaterThan(30)
      expect(all.filter((d) => d.state === 'pending')).toEqual([])
      for (const d of all.filter((r) => r.state === 'failed')) expect(d.error).toMatch(/^TikTok /)
      expect(all.filter((d) => d.state === 'failed').length).toBeGreaterThan(5)
      const named = rows<{ state: string; error: string }>(t, "SELECT state, error FROM deliveries WHERE CAST(raw_body AS TEXT) LIKE '%bukan JSON%'")[0]
      expect(named).toEqual({ state: 'failed', error: 'TikTok comment.update content is not valid JSON' })
      // Still serving, and still ingesting good deliveries.
      const good = fixture('dm-receive-id.json')
      expect((await postRaw(t, '/webhooks/tiktok', good, { 'TikTok-Signature': sign(good, seconds) })).statusCode).toBe(200)
      await t.jobs.idle()
      expect(countRows(t, 'messages', 'external_id = ?', '7312000000000000001')).toBe(1)
      const admin = await signIn(t.app, 'kominfo')
      expect((await t.app.inject({ url: '/api/items', headers: admin.headers })).statusCode).toBe(200)
    } finally {
      await t.close()
    }
  })
})

// ---------------------------------------------------------------------------------------------
describe('TikTok in the simulator', () => {
  const demo = DEMO_CHANNELS.find((c) => c.platform === 'tiktok')!
  const channel: SimChannel = { platform: 'tiktok', accountId: demo.accountId, name: demo.name, credentials: demo.credentials! }

  it('builds signed deliveries in TikTok’s format that the app turns into messages, reading text-less comments from its fake API', async () => {
    expect(demo.accountId).toBe(ACCOUNT)
    const { t, api, close } = await createAppWithFakeApi()
    try {
      const at = Date.now() - 60_000
      const send = async (d: ReturnType<typeof tiktokMaker.make>) => {
        const res = await t.app.inject({ method: d.method, url: d.path, headers: d.headers, payload: d.body })
        expect(res.statusCode).toBe(200)
      }
      const comment = tiktokMaker.make(channel, [
        {
          kind: 'comment',
          text: 'Pak, sampah ning pasar Trayeman numpuk 🤢',
          authorName: 'Dédé Kurniasih',
          authorId: 'dede.kurnia',
          messageId: '7450000000000000001',
          threadId: '7449999999999999999',
          at,
        },
      ])
      // The comment's ids are bare 19-digit JSON numbers, as TikTok writes them.
      expect(JSON.parse(comment.body).content).toContain('"comment_id":7450000000000000001')
      await send(comment)
      await send(
        tiktokMaker.make(channel, [
          {
            kind: 'comment',
            text: 'Siap, petugas DLH meluncur 🚛',
            authorName: 'pemkabtegal',
            authorId: ACCOUNT,
            messageId: '7450000000000000002',
            threadId: '7449999999999999999',
            parentId: '7450000000000000001',
            fromAccount: true,
            at: at + 30_000,
          },
        ]),
      )
      await send(
        tiktokMaker.make(channel, [
          {
            kind: 'dm',
            text: 'Halo min, mau tanya jadwal vaksin 💉',
            authorName: 'Budi Santoso',
            authorId: '7288800000000000001',
            messageId: '7313000000000000001',
            threadId: 'conv-sim-1',
            at,
          },
        ]),
      )
      await t.jobs.idle()
      expect(messageRows(t).map((m) => [m.kind, m.direction, m.external_thread_id, m.author_name, m.text])).toEqual([
        ['comment', 'in', '7449999999999999999:7450000000000000001', 'Dédé Kurniasih', 'Pak, sampah ning pasar Trayeman numpuk 🤢'],
        ['dm', 'in', 'conv-sim-1', 'Budi Santoso', 'Halo min, mau tanya jadwal vaksin 💉'],
        ['comment', 'out', '7449999999999999999:7450000000000000001', 'pemkabtegal', 'Siap, petugas DLH meluncur 🚛'],
      ])
      expect(itemRow(t, '7449999999999999999:7450000000000000001')).toMatchObject({ status: 'answered', first_response_seconds: 30 })
      // The reply (an even id) came without text, username or owner; one comment/list call filled them in.
      expect(api.callsTo('tiktok').map((c) => [c.path, c.query.comment_ids])).toEqual([['/business/comment/list/', '["7450000000000000002"]']])
    } finally {
      await close()
    }
  })

  it('sends comments with an even id without text, username or owner (the disputed case), the others with them', () => {
    const at = Date.now()
    const base = { kind: 'comment' as const, text: 'Lampuné mati 💡', authorName: 'Wargi', authorId: 'wargi.tegal', threadId: '7449999999999999990', at }
    const contentOf = (messageId: string) => JSON.parse(tiktokMaker.make(channel, [{ ...base, messageId }]).body).content as string
    const bare = contentOf('7450000000000000010')
    expect(bare).toContain('"comment_id":7450000000000000010')
    expect(bare).toContain('"unique_identifier":"wargi.tegal"')
    for (const key of ['text', 'username', 'owner']) expect(bare).not.toContain(`"${key}"`)
    expect(contentOf('7450000000000000011')).toContain('"text":"Lampuné mati 💡"')
  })

  it('refuses to batch, as TikTok sends one event per request', () => {
    const post = { kind: 'dm' as const, text: 'a', authorName: 'a', authorId: '1', messageId: '2', threadId: '3', at: T0 }
    expect(() => tiktokMaker.make(channel, [post, { ...post, messageId: '4' }])).toThrow('one event per webhook request')
  })

  describe('fake API and testConnection', () => {
    let api: FakeApi
    beforeEach(async () => {
      api = await startFakeApi(FAKE_APIS)
    })
    afterEach(() => api.close())
    const open = (credentials: Record<string, string>): OpenChannel => ({
      id: 1,
      platform: 'tiktok',
      accountId: ACCOUNT,
      name: demo.name,
      credentials,
      settings: {},
    })

    it('testConnection reads the account with the token and describes it', async () => {
      const found = await tiktokConnector.testConnection!(open(demo.credentials!), `${api.url}/tiktok`, fetch)
      expect(found).toBe('TikTok @pemkabtegal (Pemkab Tegal)')
      const [call] = api.callsTo('tiktok')
      expect(call).toMatchObject({ method: 'GET', path: '/business/get/', query: { business_id: ACCOUNT } })
      expect(call!.headers['access-token']).toBe(DEMO_SECRETS.tiktok.accessToken)
    })

    it('testConnection fails with TikTok’s reason for a bad token or no token', async () => {
      api.failNext('tiktok', 1, 200, { code: 40105, message: 'Access token is incorrect or has been revoked.', request_id: 'r', data: {} })
      await expect(tiktokConnector.testConnection!(open(demo.credentials!), `${api.url}/tiktok`, fetch)).rejects.toThrow(/40105.*revoked/)
      await expect(tiktokConnector.testConnection!(open({}), `${api.url}/tiktok`, fetch)).rejects.toThrow('no access token')
    })

    it('answers like TikTok: envelope with code 0 and string ids, errors as non-zero codes', async () => {
      const call = async (path: string, body: unknown, token = 'tok') =>
        (
          await fetch(`${api.url}/tiktok${path}`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'Access-Token': token },
            body: JSON.stringify(body),
          })
        ).json()
      const created = await call('/business/comment/reply/create/', { business_id: ACCOUNT, video_id: '1', comment_id: '2', text: 'Nggih 🙏' })
      expect(created).toMatchObject({
        code: 0,
        message: 'OK',
        request_id: expect.any(String),
        data: { comment_id: expect.stringMatching(/^\d{19}$/), video_id: '1', text: 'Nggih 🙏' },
      })
      expect((await call('/business/comment/reply/create/', { business_id: ACCOUNT, video_id: '1', comment_id: '2', text: 'x'.repeat(151) })).code).toBe(40002)
      expect(
        (
          await call('/business/message/send/', {
            business_id: ACCOUNT,
            recipient_type: 'CONVERSATION',
            recipient: 'c',
            message_type: 'TEXT',
            text: { body: 'Halo' },
          })
        ).data.message.message_id,
      ).toMatch(/^\d{19}$/)
      expect((await call('/business/message/send/', { business_id: ACCOUNT }, '')).code).toBe(40105)
      expect((await call('/business/nothing/', {})).code).toBe(40007)
    })

    it('answers comment/list in TikTok’s format for the comments its deliveries carried', async () => {
      const at = Date.UTC(2026, 10, 23, 3, 0, 0)
      tiktokMaker.make(channel, [
        {
          kind: 'comment',
          text: 'Jembatan Kali Gung retak 😟',
          authorName: 'Yayuk Wédani',
          authorId: 'yayuk.wedani',
          messageId: '7451000000000000002',
          threadId: '7451000000000000000',
          at,
        },
      ])
      tiktokMaker.make(channel, [
        {
          kind: 'comment',
          text: 'Nggih, sampun dicek',
          authorName: 'pemkabtegal',
          authorId: ACCOUNT,
          messageId: '7451000000000000004',
          threadId: '7451000000000000000',
          parentId: '7451000000000000002',
          fromAccount: true,
          at: at + 60_000,
        },
      ])
      const list = async (query: Record<string, string>, token = 'tok') => {
        const res = await fetch(`${api.url}/tiktok/business/comment/list/?${new URLSearchParams(query)}`, { headers: { 'Access-Token': token } })
        return { status: res.status, raw: await res.text() }
      }
      const q = { business_id: ACCOUNT, video_id: '7451000000000000000' }
      const found = await list({
        ...q,
        comment_ids: JSON.stringify(['7451000000000000002', '7451000000000000004', '7451000000000000999']),
        include_replies: 'true',
      })
      expect(found.status).toBe(200)
      // Ids are JSON strings, as TikTok writes them in this API.
      expect(found.raw).toContain('"comment_id":"7451000000000000002"')
      const body = JSON.parse(found.raw)
      expect(body).toMatchObject({ code: 0, message: 'OK', request_id: expect.any(String), data: { has_more: false, cursor: 2 } })
      expect(body.data.comments).toEqual([
        expect.objectContaining({
          comment_id: '7451000000000000004',
          video_id: '7451000000000000000',
          text: 'Nggih, sampun dicek',
          username: 'pemkabtegal',
          unique_identifier: ACCOUNT,
          owner: true,
          status: 'PUBLIC',
          create_time: String((at + 60_000) / 1000),
        }),
        expect.objectContaining({
          comment_id: '7451000000000000002',
          text: 'Jembatan Kali Gung retak 😟',
          username: 'Yayuk Wédani',
          unique_identifier: 'yayuk.wedani',
          user_id: expect.stringMatching(/^[0-9a-f]{64}$/),
          owner: false,
          replies: 1,
          likes: 0,
          create_time: String(at / 1000),
        }),
      ])
      // Top-level comments only without include_replies; another account's business_id sees nothing.
      expect(JSON.parse((await list(q)).raw).data.comments.map((c: { comment_id: string }) => c.comment_id)).toEqual(['7451000000000000002'])
      expect(JSON.parse((await list({ ...q, business_id: '7300000000000009999' })).raw).data.comments).toEqual([])
      // TikTok’s errors: too many ids, a missing video, no token.
      const tooMany = JSON.stringify(Array.from({ length: 31 }, (_, i) => String(7451000000000001000n + BigInt(i))))
      expect(JSON.parse((await list({ ...q, comment_ids: tooMany })).raw).code).toBe(40002)
      expect(JSON.parse((await list({ business_id: ACCOUNT })).raw).code).toBe(40002)
      expect(JSON.parse((await list(q, '')).raw).code).toBe(40105)
    })
  })
})
