// Instagram through the real app: signed Meta deliveries (restfb's real-format captures and
// Indonesian variants) into messages and items, the account's own replies stopping the clock,
// replies sent to the fake Graph API with its errors, the Direct window, fuzzing, and the simulator.
import fc from 'fast-check'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { instagramConnector } from '../../server/src/connectors/instagram/index.ts'
import { signMeta } from '../../server/src/connectors/meta/verify.ts'
import type { DeliveryInput, NormalizeContext, OpenChannel } from '../../server/src/connectors/types.ts'
import { metaJson } from '../../server/src/simulator/platforms/facebook.ts'
import { instagramMaker } from '../../server/src/simulator/platforms/instagram.ts'
import type { FakeApi } from '../../server/src/simulator/fake-api.ts'
import type { SimChannel, SimPost } from '../../server/src/simulator/types.ts'
import { createTestApp, eventually, signIn, type TestApp } from '../helpers/app.ts'
import { channelId, countRows, createAppWithFakeApi, DEMO_CHANNELS, DEMO_SECRETS, postRaw, rows } from '../helpers/webhooks.ts'

const IG = '17841400000000001' // @disdukcapil.tegalkab
const IG_DPUPR = '17841400000000002'
const T = 1794794400 // 2026-11-16 02:00 UTC, the time of the Indonesian fixtures (seconds)
const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'instagram')
const ROOT = '17998877665544332' // the citizen's top-level comment in the Indonesian fixtures
const CITIZEN_DM = '6123456789012345'

function fixture(name: string, swap: Record<string, string> = {}): string {
  let s = readFileSync(join(FIXTURES, `${name}.json`), 'utf8')
  for (const [from, to] of Object.entries(swap)) s = s.split(from).join(to)
  return s
}
/** restfb's captures name account "0" (comments) and 17841452691600098 (Direct): make them the demo account. */
const onDemoAccount = { '"id": "0"': `"id": "${IG}"`, '17841452691600098': IG }

const sign = (body: string) => signMeta(DEMO_SECRETS.meta.appSecret, body)
const postMeta = (t: TestApp, body: string, headers: Record<string, string> = { 'x-hub-signature-256': sign(body) }) =>
  postRaw(t, '/webhooks/meta', body, headers)

async function deliver(t: TestApp, ...bodies: string[]) {
  for (const body of bodies) expect((await postMeta(t, body)).statusCode).toBe(200)
  const stored = countRows(t, 'deliveries')
  await eventually(() => countRows(t, 'deliveries', "state != 'pending'") === stored)
}

interface MessageRow {
  external_id: string
  item_id: number
  direction: string
  author_name: string
  author_external_id: string | null
  text: string
  sent_at: number
  parent_external_id: string | null
  deleted_at: number | null
}
interface ItemRow {
  id: number
  kind: string
  external_thread_id: string
  status: string
  citizen_name: string
  first_response_seconds: number | null
  channel_id: number
}
const message = (t: TestApp, externalId: string) => rows<MessageRow>(t, 'SELECT * FROM messages WHERE external_id = ?', externalId)[0]
const itemOf = (t: TestApp, externalThreadId: string) => rows<ItemRow>(t, 'SELECT * FROM items WHERE external_thread_id = ?', externalThreadId)[0]
/** Calls that send (Direct messages also make a profile lookup when they arrive). */
const sends = (api: FakeApi) => api.callsTo('instagram').filter((c) => c.method === 'POST')

let closeApp: (() => Promise<void>) | undefined
afterEach(async () => {
  await closeApp?.()
  closeApp = undefined
})
async function app(opts: Parameters<typeof createTestApp>[0] = {}) {
  const t = await createTestApp(opts)
  closeApp = () => t.close()
  return t
}
async function appWithApi(opts: Parameters<typeof createTestApp>[0] = {}) {
  const a = await createAppWithFakeApi(opts)
  closeApp = a.close
  return a
}

describe('Instagram deliveries in the real format', () => {
  it('turns a citizen’s comment into an item of the account’s OPD, timed by entry.time', async () => {
    const t = await app()
    await deliver(t, fixture('id-comment-citizen'))
    expect(message(t, ROOT)).toMatchObject({
      direction: 'in',
      author_name: '@dede.nurhasanah',
      author_external_id: '17841455512345678',
      sent_at: T * 1000,
      text: 'mhn info blangko ktp el di dukcapil sdh ada blm ya min? 🙏 nyong wis nunggu seminggu, jaréné kosong terus 😩',
    })
    const dukcapil = await signIn(t.app, 'dukcapil')
    const list = (await t.app.inject({ url: '/api/items', headers: dukcapil.headers })).json()
    expect(list.items).toHaveLength(1)
    expect(list.items[0]).toMatchObject({
      platform: 'instagram',
      kind: 'comment',
      status: 'open',
      citizenName: '@dede.nurhasanah',
      opd: { code: 'disdukcapil' },
      channelName: 'Instagram @disdukcapil.tegalkab',
    })
    const dpupr = await signIn(t.app, 'dpupr')
    expect((await t.app.inject({ url: '/api/items', headers: dpupr.headers })).json().items).toHaveLength(0)
  })

  it('threads a reply under the top-level comment its parent_id names (restfb capture)', async () => {
    const t = await app()
    await deliver(t, fixture('wh-comments-2021', onDemoAccount))
    expect(message(t, '123456789')).toMatchObject({
      author_name: '@testuser',
      author_external_id: '1234536447',
      parent_external_id: '987654321',
      text: 'This is an example.',
      sent_at: 1519399307000,
    })
    expect(itemOf(t, '987654321')!.kind).toBe('comment')
  })

  it('reads comments and live comments without an author', async () => {
    const t = await app()
    await deliver(t, fixture('wh-comments', onDemoAccount), fixture('wh-livecomments', { ...onDemoAccount, '"id": "123456789"': '"id": "123456790"' }))
    expect(rows(t, 'SELECT external_id, author_name, author_external_id FROM messages ORDER BY external_id')).toEqual([
      { external_id: '123456789', author_name: 'Pengguna Instagram', author_external_id: null },
      { external_id: '123456790', author_name: 'Pengguna Instagram', author_external_id: null },
    ])
  })

  it('routes each account’s deliveries to its own channel, and flags an account no channel knows', async () => {
    const t = await app()
    await deliver(t, fixture('id-comment-citizen', { [IG]: IG_DPUPR }), fixture('wh-comments-2021'))
    expect(itemOf(t, ROOT)!.channel_id).toBe(channelId(t, 'instagram', IG_DPUPR))
    expect(rows(t, 'SELECT flag, flag_detail FROM deliveries WHERE flag IS NOT NULL')).toEqual([{ flag: 'unknown_account', flag_detail: 'instagram:0' }])
  })

  it('turns mentions (ids only) into mention items, saying the text is still to be fetched when Graph cannot give it', async () => {
    const { t, api } = await appWithApi()
    await deliver(t, fixture('wh-mentions', onDemoAccount), fixture('id-mentions-caption'))
    // Both lookups were tried; the fake Graph knows neither mention (as for a deleted comment) and says so.
    expect(
      api
        .callsTo('instagram')
        .map((c) => c.query.fields ?? '')
        .sort((a, b) => a.localeCompare(b)),
    ).toEqual([
      'mentioned_comment.comment_id(17887498072083520){text,timestamp,username}',
      'mentioned_media.media_id(18076543210987654){caption,timestamp,username}',
    ])
    const onComment = itemOf(t, 'mention:17887498072083520:17887498072083520')!
    expect(onComment).toMatchObject({ kind: 'mention', citizen_name: 'Pengguna Instagram' })
    const text = message(t, '17887498072083520')!.text
    expect(text).toContain('Akun ini disebut (mention) dalam komentar')
    expect(text).toContain('buka Instagram')
    expect(message(t, '18076543210987654')).toMatchObject({ sent_at: (T + 120) * 1000, text: expect.stringContaining('keterangan kiriman') })
    expect(itemOf(t, 'mention:18076543210987654')!.kind).toBe('mention')
  })

  it('turns Direct messages into DM threads per citizen, naming attachments, and ignores seen receipts', async () => {
    const t = await app()
    await deliver(t, fixture('messaging-attachment-unsupported', onDemoAccount), fixture('messaging-seen', onDemoAccount), fixture('id-direct-text'))
    expect(countRows(t, 'messages')).toBe(2)
    const unsupported = rows<MessageRow>(t, "SELECT * FROM messages WHERE author_external_id = '5614879045272581'")[0]!
    expect(unsupported).toMatchObject({ text: '[lampiran tidak didukung]', sent_at: 1668022333735, direction: 'in' })
    expect(itemOf(t, '5614879045272581')).toMatchObject({ kind: 'dm', citizen_name: 'Pengguna Instagram …2581' })
    expect(itemOf(t, CITIZEN_DM)!.kind).toBe('dm')
  })

  it('marks an unsent Direct message deleted', async () => {
    const t = await app()
    const text = fixture('id-direct-text')
    await deliver(t, text)
    const deleted = JSON.parse(text)
    const m = deleted.entry[0].messaging[0]
    m.message = { mid: m.message.mid, is_deleted: true }
    m.timestamp += 60_000
    await deliver(t, JSON.stringify(deleted))
    expect(rows<MessageRow>(t, 'SELECT * FROM messages')[0]!.deleted_at).toBe(T * 1000 + 777 + 60_000)
  })
})

describe('Instagram signatures', () => {
  it('refuses a missing, wrong or mismatched X-Hub-Signature-256 and stores nothing', async () => {
    const t = await app()
    const body = fixture('id-comment-citizen')
    const attempts: Record<string, string>[] = [
      {},
      { 'x-hub-signature-256': signMeta('instagram-app-secret?', body) },
      { 'x-hub-signature-256': sign(`${body} `) },
      { 'x-hub-signature-256': 'sha256=' },
    ]
    for (const headers of attempts) {
      expect([401, 403]).toContain((await postMeta(t, body, headers)).statusCode)
    }
    expect(countRows(t, 'deliveries')).toBe(0)
  })
})

describe('Instagram redeliveries and batches', () => {
  it('makes one message of a delivery sent three times', async () => {
    const t = await app()
    const body = fixture('id-comment-citizen')
    await deliver(t, body, body, body)
    expect(countRows(t, 'messages')).toBe(1)
  })

  it('makes 50 messages of one delivery with 50 entries', async () => {
    const t = await app()
    const one = JSON.parse(fixture('id-comment-citizen'))
    const entry = one.entry[0]
    one.entry = Array.from({ length: 50 }, (_, i) => ({
      ...entry,
      time: T + i,
      changes: [{ field: 'comments', value: { ...entry.changes[0].value, id: `1799900000000${String(i).padStart(4, '0')}`, text: `komentar ke-${i + 1} 🙏` } }],
    }))
    await deliver(t, JSON.stringify(one))
    expect(countRows(t, 'messages')).toBe(50)
    expect(countRows(t, 'items', "kind = 'comment'")).toBe(50)
    expect(message(t, '17999000000000049')).toMatchObject({ text: 'komentar ke-50 🙏', sent_at: (T + 49) * 1000 })
  })
})

describe('Instagram texts byte for byte', () => {
  it('stores texts with diacritics and emoji exactly, escaped by Meta or not', async () => {
    const t = await app()
    const escaped = metaJson(JSON.parse(fixture('id-direct-text')))
    expect(escaped).toContain('\\ud83d\\ude22')
    await deliver(t, fixture('id-comment-citizen'), escaped)
    expect(message(t, ROOT)!.text).toBe('mhn info blangko ktp el di dukcapil sdh ada blm ya min? 🙏 nyong wis nunggu seminggu, jaréné kosong terus 😩')
    const dm = rows<MessageRow>(t, `SELECT * FROM messages WHERE author_external_id = '${CITIZEN_DM}'`)[0]!
    expect(Buffer.from(dm.text).equals(Buffer.from('Kak, akta kelahiran anakku wis rong minggu durung dadi 😢 atas nama Zulfa Nur’aini, statusé priwe?'))).toBe(
      true,
    )
  })
})

describe('Instagram government replies and the response clock', () => {
  it('stops the clock when the account replies in the Instagram app (from.id == entry.id)', async () => {
    const t = await app()
    await deliver(t, fixture('id-comment-citizen'), fixture('id-comment-citizen-reply'), fixture('id-comment-owner-reply'))
    expect(itemOf(t, ROOT)).toMatchObject({ status: 'answered', first_response_seconds: 3600 })
    expect(message(t, '17998877665599999')).toMatchObject({ direction: 'out', author_name: '@disdukcapil.tegalkab', parent_external_id: ROOT })
    expect(countRows(t, 'items')).toBe(1)
  })

  it('stops the clock on a native Direct reply (echo)', async () => {
    const t = await app()
    await deliver(t, fixture('id-direct-text'), fixture('id-direct-echo'))
    expect(itemOf(t, CITIZEN_DM)).toMatchObject({ status: 'answered', first_response_seconds: 2700 })
  })

  it('counts our own Direct reply and its echo once, and our own comment reply and its webhook once', async () => {
    const { t, api } = await appWithApi({ clock: () => (T + 1800) * 1000 })
    await deliver(t, fixture('id-direct-text'), fixture('id-comment-citizen'))
    const admin = await signIn(t.app, 'dukcapil')
    const dm = itemOf(t, CITIZEN_DM)!
    const comment = itemOf(t, ROOT)!
    await t.app.inject({ method: 'POST', url: `/api/items/${dm.id}/replies`, headers: admin.headers, payload: { text: 'Aktanya sudah jadi, Kak 🙏' } })
    await t.app.inject({ method: 'POST', url: `/api/items/${comment.id}/replies`, headers: admin.headers, payload: { text: 'Blangko tersedia, Kak 🙏' } })
    await eventually(() => countRows(t, 'replies', "state = 'sent'") === 2)
    const [dmReply, commentReply] = rows<{ external_id: string }>(t, 'SELECT external_id FROM replies ORDER BY id')
    const echo = JSON.parse(fixture('id-direct-echo'))
    Object.assign(echo.entry[0].messaging[0].message, { mid: dmReply!.external_id, text: 'Aktanya sudah jadi, Kak 🙏' })
    const own = JSON.parse(fixture('id-comment-owner-reply'))
    Object.assign(own.entry[0].changes[0].value, { id: commentReply!.external_id, text: 'Blangko tersedia, Kak 🙏' })
    await deliver(t, JSON.stringify(echo), JSON.stringify(own))
    expect(countRows(t, 'messages', "direction = 'out'")).toBe(2)
    expect(countRows(t, 'messages', "direction = 'out' AND item_id = ?", dm.id)).toBe(1)
    expect(
      sends(api)
        .map((c) => c.path)
        .sort((a, b) => a.localeCompare(b)),
    ).toEqual([`/${ROOT}/replies`, `/${IG}/messages`].sort((a, b) => a.localeCompare(b)))
  })
})

describe('Instagram Direct citizens’ names from the User Profile API', () => {
  const demo = DEMO_CHANNELS.find((c) => c.platform === 'instagram' && c.accountId === IG)!
  const channel: SimChannel = { platform: 'instagram', accountId: IG, name: demo.name, credentials: demo.credentials! }
  const at = Date.UTC(2026, 10, 23, 1, 0)
  let serial = 0
  const direct = (igsid: string, authorName: string) =>
    instagramMaker.make(channel, [
      {
        kind: 'dm',
        text: `Pesan ${++serial}: KIA anakku kapan jadi kak?`,
        authorName,
        authorId: igsid,
        messageId: `ig_profile_${serial}`,
        threadId: igsid,
        at,
      },
    ]).body
  const profileCalls = (api: FakeApi, igsid: string) => api.callsTo('instagram').filter((c) => c.method === 'GET' && c.path === `/${igsid}`)

  it('shows the citizen’s name and @username on Direct messages and the item, asking once per citizen', async () => {
    const { t, api } = await appWithApi({ clock: () => at })
    await deliver(t, direct('6123400000000001', 'Dewi Lestari'))
    expect(profileCalls(api, '6123400000000001')).toEqual([expect.objectContaining({ query: { fields: 'name,username' } })])
    expect(itemOf(t, '6123400000000001')!.citizen_name).toBe('Dewi Lestari (@dewi_lestari)')
    const dukcapil = await signIn(t.app, 'dukcapil')
    expect((await t.app.inject({ url: '/api/items', headers: dukcapil.headers })).json().items[0]).toMatchObject({
      kind: 'dm',
      citizenName: 'Dewi Lestari (@dewi_lestari)',
    })
    await deliver(t, direct('6123400000000001', 'Dewi Lestari'))
    expect(rows(t, "SELECT DISTINCT author_name FROM messages WHERE author_external_id = '6123400000000001'")).toEqual([
      { author_name: 'Dewi Lestari (@dewi_lestari)' },
    ])
    expect(profileCalls(api, '6123400000000001')).toHaveLength(1)
  })

  it('keeps the placeholder when the lookup fails', async () => {
    const { t, api } = await appWithApi({ clock: () => at })
    api.failNext('instagram', 1, 400, { error: { message: 'User consent is required to access user profile', type: 'OAuthException', code: 230 } })
    await deliver(t, direct('6123400000000002', 'Rina Kurniasih'))
    expect(profileCalls(api, '6123400000000002')).toHaveLength(1)
    expect(itemOf(t, '6123400000000002')!.citizen_name).toBe('Pengguna Instagram …0002')
  })
})

describe('Instagram sending against the fake Graph API', () => {
  it('replies to the top-level comment even when the citizen’s latest comment is a reply', async () => {
    const { t, api } = await appWithApi({ clock: () => (T + 1800) * 1000 })
    await deliver(t, fixture('id-comment-citizen'), fixture('id-comment-citizen-reply'))
    const admin = await signIn(t.app, 'dukcapil')
    await t.app.inject({
      method: 'POST',
      url: `/api/items/${itemOf(t, ROOT)!.id}/replies`,
      headers: admin.headers,
      payload: { text: 'Sudah tersedia, Kak 🙏' },
    })
    await eventually(() => countRows(t, 'replies', "state = 'sent'") === 1)
    const call = api.callsTo('instagram')[0]!
    expect(call).toMatchObject({ method: 'POST', path: `/${ROOT}/replies`, body: { message: 'Sudah tersedia, Kak 🙏' } })
    expect(call.headers.authorization).toBe(`Bearer ${DEMO_SECRETS.meta.accessToken}`)
  })

  it('replies to a mention through the account’s mentions edge', async () => {
    const { t, api } = await appWithApi()
    await deliver(t, fixture('wh-mentions', onDemoAccount))
    const supervisor = await signIn(t.app, 'prokompim')
    await t.app.inject({
      method: 'POST',
      url: `/api/items/${itemOf(t, 'mention:17887498072083520:17887498072083520')!.id}/replies`,
      headers: supervisor.headers,
      payload: { text: 'Terima kasih sudah menandai kami 🙏' },
    })
    await eventually(() => countRows(t, 'replies', "state = 'sent'") === 1)
    expect(api.callsTo('instagram').find((c) => c.method === 'POST')).toMatchObject({
      path: `/${IG}/mentions`,
      body: { media_id: '17887498072083520', comment_id: '17887498072083520', message: 'Terima kasih sudah menandai kami 🙏' },
    })
  })

  it('retries a 5xx, then succeeds; shows a permanent 400 on the item', async () => {
    const { t, api } = await appWithApi({ clock: () => (T + 1800) * 1000 })
    await deliver(t, fixture('id-direct-text'))
    const admin = await signIn(t.app, 'dukcapil')
    const dm = itemOf(t, CITIZEN_DM)!
    const reply = (text: string) => t.app.inject({ method: 'POST', url: `/api/items/${dm.id}/replies`, headers: admin.headers, payload: { text } })
    api.failNext('instagram', 2, 502, { error: { message: 'Please reduce the amount of data you’re asking for, then retry your request', code: 1 } })
    await reply('Sudah jadi, Kak 🙏')
    await eventually(() => countRows(t, 'replies', "state = 'sent'") === 1)
    expect(sends(api)).toHaveLength(3)
    expect(sends(api).at(-1)!.body).toEqual({ recipient: { id: CITIZEN_DM }, message: { text: 'Sudah jadi, Kak 🙏' } })

    api.failNext('instagram', 1, 400, {
      error: { message: '(#10) This message is sent outside of allowed window.', type: 'OAuthException', code: 10, error_subcode: 2534022 },
    })
    await reply('Satu lagi')
    await eventually(() => countRows(t, 'replies', "state = 'failed'") === 1)
    expect(sends(api)).toHaveLength(4)
    const detail = (await t.app.inject({ url: `/api/items/${dm.id}`, headers: admin.headers })).json()
    expect(detail.replies.find((r: { state: string }) => r.state === 'failed')).toMatchObject({
      error: expect.stringContaining('(#10) This message is sent outside of allowed window.'),
    })
  })

  it('enforces the 24-hour Direct window', async () => {
    let now = (T + 3600) * 1000
    const { t } = await appWithApi({ clock: () => now })
    await deliver(t, fixture('id-direct-text'), fixture('id-comment-citizen'))
    now = T * 1000 + 25 * 3_600_000
    const admin = await signIn(t.app, 'dukcapil')
    const late = await t.app.inject({
      method: 'POST',
      url: `/api/items/${itemOf(t, CITIZEN_DM)!.id}/replies`,
      headers: admin.headers,
      payload: { text: 'Maaf telat' },
    })
    expect(late.statusCode).toBe(422)
    expect(late.json().error.code).toBe('WINDOW_CLOSED')
    const onComment = await t.app.inject({
      method: 'POST',
      url: `/api/items/${itemOf(t, ROOT)!.id}/replies`,
      headers: admin.headers,
      payload: { text: 'Maaf telat' },
    })
    expect(onComment.statusCode).toBe(201)
  })

  it('refuses a Direct reply over 1000 bytes before calling Instagram', async () => {
    const { t, api } = await appWithApi({ clock: () => (T + 1800) * 1000 })
    await deliver(t, fixture('id-direct-text'))
    const admin = await signIn(t.app, 'dukcapil')
    // 400 emoji: 400 characters, 1600 bytes.
    await t.app.inject({ method: 'POST', url: `/api/items/${itemOf(t, CITIZEN_DM)!.id}/replies`, headers: admin.headers, payload: { text: '🙏'.repeat(400) } })
    await eventually(() => countRows(t, 'replies', "state = 'failed'") === 1)
    expect(sends(api)).toHaveLength(0)
    expect(rows<{ error: string }>(t, 'SELECT error FROM replies')[0]!.error).toContain('1000 bytes')
  })

  it('tests the connection with the account’s username, and reports a bad token', async () => {
    const { t } = await appWithApi()
    const demo = DEMO_CHANNELS.find((c) => c.accountId === IG)!
    const channel: OpenChannel = {
      id: channelId(t, 'instagram', IG),
      platform: 'instagram',
      accountId: IG,
      name: demo.name,
      credentials: { ...demo.credentials! },
      settings: {},
    }
    const base = t.config.platformApi.instagram
    await expect(instagramConnector.testConnection!(channel, base, fetch)).resolves.toBe(`Instagram @disdukcapil.tegalkab (${IG})`)
    await expect(instagramConnector.testConnection!({ ...channel, credentials: {} }, base, fetch)).rejects.toThrow(/no access token/)
    await expect(instagramConnector.testConnection!({ ...channel, credentials: { accessToken: 'bad' } }, base, fetch)).rejects.toThrow(/code 190/)
  })
})

describe('Instagram normalizer under fuzzing', () => {
  const ctx: NormalizeContext = { opdIdByCode: () => undefined, triageOpdId: () => 1 }
  const input = (raw: string | Buffer): DeliveryInput => ({
    id: 1,
    platform: 'instagram',
    channelId: null,
    dedupeKey: 'meta:fuzz',
    rawBody: Buffer.isBuffer(raw) ? raw : Buffer.from(raw, 'utf8'),
    receivedAt: T * 1000,
    trackingCode: null,
  })
  const NAMES = [
    'id-comment-citizen',
    'id-comment-owner-reply',
    'id-direct-text',
    'id-direct-echo',
    'id-mentions-caption',
    'wh-comments-2021',
    'wh-mentions',
    'wh-livecomments',
    'messaging-attachment-unsupported',
  ]
  const parsed = NAMES.map((n) => JSON.parse(fixture(n)) as unknown)
  const value: fc.Arbitrary<unknown> = fc.oneof(
    fc.string(),
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.constantFrom('é'.repeat(70_000), '😩'.repeat(30_000), '\ud83d'.repeat(10), ''),
    fc.constantFrom('constructor', '__proto__', 'comments', 'live_comments', 'mentions', 'story_mention'),
    fc.bigInt({ min: 10n ** 17n, max: 10n ** 25n }).map((n) => n.toString()),
    fc.array(fc.jsonValue(), { maxLength: 3 }),
    fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 3 }),
  )
  const ops = fc.array(fc.record({ at: fc.nat(), kind: fc.constantFrom('drop', 'replace', 'wrapArray', 'wrapObject'), value }), { minLength: 1, maxLength: 5 })

  function mutate(doc: unknown, list: { at: number; kind: string; value: unknown }[]): string {
    const copy = structuredClone(doc)
    for (const o of list) {
      const all: [Record<string | number, unknown>, string | number][] = []
      const walk = (v: unknown) => {
        // forEach skips the holes a dropped element leaves.
        if (Array.isArray(v)) {
          v.forEach((c, i) => {
            all.push([v as unknown as Record<number, unknown>, i])
            walk(c)
          })
        } else if (v && typeof v === 'object') {
          for (const [k, c] of Object.entries(v)) {
            all.push([v as Record<string, unknown>, k])
            walk(c)
          }
        }
      }
      walk(copy)
      if (!all.length) break
      const [parent, key] = all[o.at % all.length]!
      if (o.kind === 'drop') delete parent[key]
      else if (o.kind === 'replace') parent[key] = o.value
      else if (o.kind === 'wrapArray') parent[key] = [parent[key]]
      else parent[key] = { value: parent[key] }
    }
    return JSON.stringify(copy)
  }

  function check(raw: string | Buffer) {
    try {
      for (const e of instagramConnector.normalize(input(raw), ctx)) {
        expect(typeof e.externalId).toBe('string')
        expect(typeof e.externalThreadId).toBe('string')
        expect(e.text.length).toBeLessThanOrEqual(4000)
        expect(e.authorName.length).toBeLessThanOrEqual(120)
        expect(Number.isFinite(e.sentAt)).toBe(true)
      }
    } catch (err) {
      expect((err as Error).constructor).toBe(Error)
      expect((err as Error).message).not.toBe('')
    }
  }

  it('lets only plain Errors escape for mutated real deliveries and random bodies', () => {
    fc.assert(
      fc.property(fc.nat(NAMES.length - 1), ops, (n, list) => check(mutate(parsed[n], list))),
      { numRuns: 400 },
    )
    fc.assert(
      fc.property(fc.jsonValue(), (entry) => check(JSON.stringify({ object: 'instagram', entry }))),
      { numRuns: 200 },
    )
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => check(Buffer.from(bytes))),
      { numRuns: 100 },
    )
  })

  it('marks deliveries it cannot read as failed with a reason, and keeps serving', async () => {
    const { t } = await appWithApi()
    const fuzzed = fc
      .sample(fc.tuple(fc.nat(NAMES.length - 1), ops), { numRuns: 30, seed: 7 })
      .map(([n, list]) => mutate(parsed[n], list))
      .filter((raw) => JSON.parse(raw)?.object === 'instagram')
    await deliver(
      t,
      '{"object":"instagram","entry":{}}',
      `{"object":"instagram","entry":[{"id":"${IG}","time":1,"changes":[{"field":"mentions","value":{"comment_id":"1"}}]}]}`,
      ...fuzzed,
    )
    expect(rows<{ error: string }>(t, "SELECT error FROM deliveries WHERE state = 'failed' ORDER BY id").slice(0, 2)).toEqual([
      { error: 'Meta delivery has no entry list' },
      { error: 'unreadable Meta delivery: Instagram mention without media_id' },
    ])
    expect(countRows(t, 'deliveries', "state = 'failed' AND (error IS NULL OR error = '')")).toBe(0)
    expect(countRows(t, 'deliveries', "state = 'pending'")).toBe(0)
    expect((await t.app.inject({ url: '/healthz' })).statusCode).toBe(200)
  })
})

describe('Instagram in the simulator', () => {
  const demo = DEMO_CHANNELS.find((c) => c.accountId === IG)!
  const channel: SimChannel = { platform: 'instagram', accountId: IG, name: demo.name, credentials: demo.credentials! }
  const at = Date.UTC(2026, 10, 16, 1, 0)

  it('builds signed deliveries in Meta’s format that the app turns into messages, mentions read back from the fake Graph', async () => {
    const { t } = await appWithApi()
    const posts: SimPost[] = [
      {
        kind: 'comment',
        text: 'mhn info blangko ktp el sdh ada blm ya min? 🙏',
        authorName: 'Dédé Ñurhasanah',
        authorId: '17841455500000001',
        messageId: '17990000000000001',
        threadId: '18030000000000001',
        at,
      },
      {
        kind: 'comment',
        text: 'Sudah ada, Kak 🙏',
        authorName: demo.name,
        authorId: IG,
        messageId: '17990000000000002',
        threadId: '18030000000000001',
        parentId: '17990000000000001',
        fromAccount: true,
        at: at + 1_200_000,
      },
      {
        kind: 'dm',
        text: 'Kak, akta anakku durung dadi 😢',
        authorName: 'Sri Wahyuni',
        authorId: '6100000000000001',
        messageId: 'x1',
        threadId: '6100000000000001',
        at,
      },
      {
        kind: 'mention',
        text: 'Tolong @disdukcapil.tegalkab, antrean KTP di Slawi panjang banget 😩',
        authorName: 'Budi Santoso',
        authorId: '17841455500000002',
        messageId: '17990000000000003',
        threadId: '18030000000000009',
        at: at + 60_000,
      },
    ]
    const d = instagramMaker.make(channel, posts)
    expect((await postMeta(t, d.body, d.headers)).statusCode).toBe(200)
    await eventually(() => countRows(t, 'deliveries', "state = 'processed'") === 1)
    expect(message(t, '17990000000000001')).toMatchObject({
      text: 'mhn info blangko ktp el sdh ada blm ya min? 🙏',
      author_name: '@dede_nurhasanah',
      sent_at: at,
    })
    expect(itemOf(t, '17990000000000001')).toMatchObject({ status: 'answered', first_response_seconds: 1200 })
    expect(message(t, 'x1')).toMatchObject({ text: 'Kak, akta anakku durung dadi 😢', author_external_id: '6100000000000001' })
    expect(itemOf(t, 'mention:18030000000000009:17990000000000003')).toMatchObject({ kind: 'mention', citizen_name: '@budi_santoso' })
    expect(message(t, '17990000000000003')).toMatchObject({
      text: 'Tolong @disdukcapil.tegalkab, antrean KTP di Slawi panjang banget 😩',
      author_name: '@budi_santoso',
      sent_at: at + 60_000,
    })
  })

  it('answers the calls the sender makes the way Graph does', async () => {
    const { t } = await appWithApi()
    const base = t.config.platformApi.instagram
    const auth = { authorization: `Bearer ${DEMO_SECRETS.meta.accessToken}`, 'content-type': 'application/json' }
    const reply = await fetch(`${base}/v21.0/${ROOT}/replies`, { method: 'POST', headers: auth, body: JSON.stringify({ message: 'Siap 🙏' }) })
    expect(await reply.json()).toEqual({ id: expect.stringMatching(/^\d{17}$/) })
    const dm = await fetch(`${base}/${IG}/messages`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ recipient: { id: CITIZEN_DM }, message: { text: 'Halo' } }),
    })
    expect(await dm.json()).toMatchObject({ recipient_id: CITIZEN_DM, message_id: expect.any(String) })
    const empty = await fetch(`${base}/${ROOT}/replies`, { method: 'POST', headers: auth, body: JSON.stringify({ message: '' }) })
    expect(empty.status).toBe(400)
    expect((await empty.json()).error).toMatchObject({ code: 100, message: '(#100) The parameter message is required', fbtrace_id: expect.any(String) })
    const other = await fetch(`${base}/17841499999999999/messages`, { method: 'POST', headers: auth, body: '{}' })
    expect((await other.json()).error).toMatchObject({ code: 100, error_subcode: 33 })
  })
})
