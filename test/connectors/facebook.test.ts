// Facebook Pages through the real app: signed Meta deliveries (restfb's real-format captures and
// Indonesian variants) into messages and items, native replies stopping the clock, replies sent to
// the fake Graph API with its errors, the Messenger window, fuzzed deliveries, and the simulator.
import fc from 'fast-check'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { facebookConnector } from '../../server/src/connectors/facebook/index.ts'
import { signMeta } from '../../server/src/connectors/meta/verify.ts'
import type { DeliveryInput, NormalizeContext, OpenChannel } from '../../server/src/connectors/types.ts'
import { facebookMaker } from '../../server/src/simulator/platforms/facebook.ts'
import type { FakeApi } from '../../server/src/simulator/fake-api.ts'
import type { SimChannel, SimPost } from '../../server/src/simulator/types.ts'
import { createTestApp, eventually, signIn, type TestApp } from '../helpers/app.ts'
import { channelId, countRows, createAppWithFakeApi, DEMO_CHANNELS, DEMO_SECRETS, postRaw, rows } from '../helpers/webhooks.ts'

const PAGE = '102030405060708'
const T = 1794794400 // 2026-11-16 02:00 UTC, the time of the Indonesian fixtures (seconds)
const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'facebook')

/** A fixture's exact bytes, with some strings swapped (e.g. restfb's Page id for the demo Page's). */
function fixture(name: string, swap: Record<string, string> = {}): string {
  let s = readFileSync(join(FIXTURES, `${name}.json`), 'utf8')
  for (const [from, to] of Object.entries(swap)) s = s.split(from).join(to)
  return s
}
/** restfb's captures name Page 1234567890321 (feed) and 12345654332 (Messenger): make them the demo Page. */
const onDemoPage = { '1234567890321': PAGE, '12345654332': PAGE }

const sign = (body: string) => signMeta(DEMO_SECRETS.meta.appSecret, body)
const postMeta = (t: TestApp, body: string, headers: Record<string, string> = { 'x-hub-signature-256': sign(body) }) =>
  postRaw(t, '/webhooks/meta', body, headers)

/** Posts signed deliveries and waits until each has been processed (or failed). */
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
  edited_at: number | null
  deleted_at: number | null
}
interface ItemRow {
  id: number
  kind: string
  external_thread_id: string
  status: string
  citizen_name: string
  first_response_seconds: number | null
  awaiting_since: number | null
}
const messages = (t: TestApp) => rows<MessageRow>(t, 'SELECT * FROM messages ORDER BY sent_at, id')
const message = (t: TestApp, externalId: string) => rows<MessageRow>(t, 'SELECT * FROM messages WHERE external_id = ?', externalId)[0]
const itemOf = (t: TestApp, externalThreadId: string) => rows<ItemRow>(t, 'SELECT * FROM items WHERE external_thread_id = ?', externalThreadId)[0]

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

describe('Facebook deliveries in the real format', () => {
  it('turns a citizen’s Page comment into a comment item a supervisor sees, with the platform’s time', async () => {
    const t = await app()
    await deliver(t, fixture('id-feed-comment-citizen'))
    const m = message(t, '845612379012345_1203948576612345')!
    expect(m).toMatchObject({
      direction: 'in',
      author_name: 'Dédé Ñurhasanah 🌸',
      author_external_id: '6203456789012345',
      sent_at: T * 1000,
      text: 'Min, gili nang Adiwerna bolong-bolong kaya kiye, kapan dibenerin? motor wis pada jatuh 🙏😡',
    })
    const supervisor = await signIn(t.app, 'prokompim')
    const list = (await t.app.inject({ url: '/api/items?platform=facebook', headers: supervisor.headers })).json()
    expect(list.items).toHaveLength(1)
    expect(list.items[0]).toMatchObject({
      platform: 'facebook',
      kind: 'comment',
      status: 'open',
      citizenName: 'Dédé Ñurhasanah 🌸',
      channelName: 'Facebook Pemkab Tegal',
      preview: m.text,
      awaitingSince: T * 1000,
      firstMessageAt: T * 1000,
      opd: { code: 'prokompim' },
    })
  })

  it('threads replies under their top-level comment (parent_id names it; parent_id == post_id is a root)', async () => {
    const t = await app()
    await deliver(t, fixture('id-feed-comment-citizen'), fixture('id-feed-comment-citizen-reply'))
    expect(countRows(t, 'items')).toBe(1)
    const reply = message(t, '845612379012345_1203948576655555')!
    expect(reply).toMatchObject({ author_name: 'Tarno Tegal', parent_external_id: '845612379012345_1203948576612345', sent_at: (T + 600) * 1000 })
    expect(itemOf(t, '845612379012345_1203948576612345')!.id).toBe(reply.item_id)
  })

  it('reads the older sender_id/sender_name shape and names a photo in brackets', async () => {
    const t = await app()
    // restfb's capture has the Page itself as sender: make the sender a citizen, keep the rest verbatim.
    await deliver(t, fixture('feed-comment-add-with-photo', { '"sender_id": 1234567890321': '"sender_id": 6200000000000001', ...onDemoPage }))
    expect(message(t, '901097836652708_903438993085259')).toMatchObject({
      author_name: 'Tester',
      author_external_id: '6200000000000001',
      text: 'and the next one [gambar]',
      sent_at: 1449135003000,
    })
  })

  it('leaves out the Page’s own top-level comment (restfb capture: from.id == entry.id) and hide/unhide moderation', async () => {
    const t = await app()
    await deliver(t, fixture('feed-comment-add-211', onDemoPage), fixture('feed-comment-hide', onDemoPage))
    expect(countRows(t, 'items')).toBe(0)
    expect(countRows(t, 'deliveries', "state = 'processed' AND flag IS NULL")).toBe(2)
  })

  it('keeps a delivery for a Page no channel knows, flagged for the superadmin', async () => {
    const t = await app()
    await deliver(t, fixture('messaging-message-basic'))
    expect(countRows(t, 'messages')).toBe(0)
    expect(rows(t, 'SELECT state, flag, flag_detail FROM deliveries')).toEqual([
      { state: 'processed', flag: 'unknown_account', flag_detail: 'facebook:12345654332' },
    ])
  })

  it('records an edit (keeping the earlier text) and a removal of a comment', async () => {
    const t = await app()
    const original = fixture('id-feed-comment-citizen')
    await deliver(t, original)
    const edited = JSON.parse(original)
    Object.assign(edited.entry[0].changes[0].value, { verb: 'edited', message: 'Min, gili nang Adiwerna bolong-bolong, wis 3 sasi! 😡' })
    edited.entry[0].time = T + 900
    await deliver(t, JSON.stringify(edited))
    const id = '845612379012345_1203948576612345'
    expect(message(t, id)).toMatchObject({ text: 'Min, gili nang Adiwerna bolong-bolong, wis 3 sasi! 😡', edited_at: (T + 900) * 1000 })
    expect(rows(t, 'SELECT change, previous_text FROM message_revisions')).toEqual([
      { change: 'edit', previous_text: 'Min, gili nang Adiwerna bolong-bolong kaya kiye, kapan dibenerin? motor wis pada jatuh 🙏😡' },
    ])
    // restfb's removal capture, pointed at this comment.
    await deliver(t, fixture('feed-comment-remove-25', { ...onDemoPage, '905578656204626_905579239537901': id }))
    expect(message(t, id)!.deleted_at).toBe(1452107182000)
  })

  it('turns mentions of the Page in comments and posts into mention items', async () => {
    const t = await app()
    await deliver(t, fixture('mention-comment-add', onDemoPage), fixture('mention-post-add-real', onDemoPage))
    const items = rows<ItemRow>(t, 'SELECT * FROM items ORDER BY external_thread_id')
    expect(items.map((i) => [i.kind, i.external_thread_id, i.citizen_name])).toEqual([
      ['mention', `${PAGE}_98722536423179`, 'Pengguna Facebook'],
      ['mention', '7363534231324_3754798971271444', 'Pengguna Facebook'],
    ])
    expect(message(t, '7363534231324_3754798971271444')).toMatchObject({ text: 'Just a test message', sent_at: 1614340862000 })
  })

  it('turns Messenger messages (ids as numbers, standby, attachments, reply_to) into DM threads per citizen', async () => {
    const t = await app()
    await deliver(
      t,
      fixture('messaging-message-reply-1', onDemoPage),
      fixture('messaging-message-sticker', onDemoPage),
      fixture('messaging-message-location-attachment', onDemoPage),
      fixture('id-messenger-standby'),
      fixture('id-messenger-image'),
    )
    expect(message(t, 'mid.1457764197618:41d102a3e1ae206a38')).toMatchObject({
      text: 'hello, world!',
      author_external_id: '987654321432',
      sent_at: 1457764197627,
      parent_external_id: 'very_long_id_representing_the_original_message',
      direction: 'in',
    })
    expect(message(t, `mid.${PAGE}:226a70a704`)!.text).toBe('[stiker]')
    expect(message(t, 'mid.1458696618141:b4ef9d19ec21086067')!.text).toBe('[lokasi]')
    expect(message(t, 'm_ImAgE1oNlY2nO3tExT4pHoTo5oF6tHe7hOlE8iN9tHe0rOaDxYz1Ab2Cd3Ef4Gh5Ij6Kl')!.text).toBe('[gambar]')
    expect(message(t, 'm_St4nDbY9mEsSaGe1iD2fOr3tHrEaD4cOnTrOl5oThEr6aPp7hOlDs8tHe9tHrEaD0x')).toMatchObject({
      text: 'halo min, bot e ora mbales, aku pengin takon soal PBB 🙏',
      author_external_id: '7098765432109876',
    })
    const threads = rows<ItemRow>(t, 'SELECT * FROM items ORDER BY external_thread_id')
    expect(threads.map((i) => [i.kind, i.external_thread_id])).toEqual([
      ['dm', '7012345678901234'],
      ['dm', '7098765432109876'],
      ['dm', '987654321432'],
    ])
    expect(itemOf(t, '987654321432')!.citizen_name).toBe('Pengguna Messenger …1432')
  })

  it('applies Messenger edits and unsends, and ignores reads and postbacks', async () => {
    const t = await app()
    await deliver(
      t,
      fixture('messaging-message-basic', onDemoPage),
      fixture('messaging-read-basic', onDemoPage),
      fixture('messaging-postback-chat', onDemoPage),
    )
    expect(countRows(t, 'messages')).toBe(1)
    await deliver(t, fixture('messaging-message-edits', { ...onDemoPage, '"text": "hello, world!"': '"text": "halo, dunia! ✏️"' }))
    expect(message(t, 'mid.1457764197618:41d102a3e1ae206a38')!.text).toBe('halo, dunia! ✏️')
    await deliver(t, fixture('messaging-message-isdeleted', { ...onDemoPage, '"mid": "message_id"': '"mid": "mid.1457764197618:41d102a3e1ae206a38"' }))
    expect(message(t, 'mid.1457764197618:41d102a3e1ae206a38')!.deleted_at).toBe(1457764197627)
    expect(rows(t, 'SELECT change FROM message_revisions ORDER BY id').map((r) => r.change)).toEqual(['edit', 'delete'])
  })
})

describe('Facebook signatures', () => {
  it('refuses a missing, wrong or mismatched X-Hub-Signature-256 and stores nothing', async () => {
    const t = await app()
    const body = fixture('id-feed-comment-citizen')
    const attempts: Record<string, string>[] = [
      {},
      { 'x-hub-signature-256': signMeta('not-the-app-secret', body) },
      { 'x-hub-signature-256': sign(body.replace('Adiwerna', 'Slawi')) },
      { 'x-hub-signature-256': sign(body).replace('sha256=', 'sha1=') },
      { 'x-hub-signature-256': 'sha256=zz' },
      { 'x-hub-signature': `sha1=${'0'.repeat(40)}` },
    ]
    for (const headers of attempts) {
      const res = await postMeta(t, body, headers)
      expect([401, 403]).toContain(res.statusCode)
    }
    // The signature covers the exact bytes: the same JSON re-serialised is another body.
    const reformatted = JSON.stringify(JSON.parse(body))
    expect((await postMeta(t, reformatted, { 'x-hub-signature-256': sign(body) })).statusCode).toBe(401)
    expect(countRows(t, 'deliveries')).toBe(0)
  })
  it('finds the object wherever Meta writes it, refuses a signed body that is not JSON and acknowledges objects it does not ingest', async () => {
    const t = await app()
    const parsed = JSON.parse(fixture('id-feed-comment-citizen')) as { object: string; entry: unknown[] }
    // `object` after `entry`, with spaces: not where the receiver looks first.
    const objectLast = `{ "entry" : ${JSON.stringify(parsed.entry)}, "object" : "page" }`
    await deliver(t, objectLast)
    expect(rows<{ platform: string; state: string }>(t, 'SELECT platform, state FROM deliveries')).toEqual([{ platform: 'facebook', state: 'processed' }])
    expect(countRows(t, 'messages')).toBe(1)
    const notJson = '{"object":"page" this is not JSON'
    expect((await postMeta(t, notJson)).statusCode).toBe(400)
    const user = JSON.stringify({ object: 'user', entry: [{ id: '1', time: T, changes: [] }] })
    expect((await postMeta(t, user)).statusCode).toBe(200)
    expect(countRows(t, 'deliveries')).toBe(1)
  })
})

describe('Facebook redeliveries and batches', () => {
  it('makes one message of a delivery sent three times, and of the same comment in another batch', async () => {
    const t = await app()
    const body = fixture('id-feed-comment-citizen')
    await deliver(t, body, body, body)
    expect(countRows(t, 'deliveries')).toBe(1)
    const other = JSON.parse(body)
    other.entry[0].time = T + 3
    await deliver(t, JSON.stringify(other))
    expect(countRows(t, 'deliveries')).toBe(2)
    expect(countRows(t, 'messages')).toBe(1)
    expect(countRows(t, 'items')).toBe(1)
  })

  it('makes 50 messages of one delivery carrying 50 comment changes, and of 50 Messenger entries', async () => {
    const t = await app()
    const template = JSON.parse(fixture('id-feed-comment-citizen'))
    const change = template.entry[0].changes[0]
    template.entry[0].changes = Array.from({ length: 50 }, (_, i) => ({
      ...change,
      value: {
        ...change.value,
        comment_id: `845612379012345_99000000000${String(i).padStart(4, '0')}`,
        message: `Komentar warga ke-${i + 1} 🙏`,
        created_time: T + i,
      },
    }))
    const dm = JSON.parse(fixture('id-messenger-text'))
    const entry = dm.entry[0]
    dm.entry = Array.from({ length: 50 }, (_, i) => ({
      ...entry,
      messaging: [
        { ...entry.messaging[0], sender: { id: `70000000000${String(i).padStart(5, '0')}` }, message: { mid: `m_batch_${i}`, text: `Pesan ke-${i + 1}` } },
      ],
    }))
    await deliver(t, JSON.stringify(template), JSON.stringify(dm))
    expect(countRows(t, 'messages', "external_id LIKE '845612379012345_99%'")).toBe(50)
    expect(countRows(t, 'messages', "external_id LIKE 'm_batch_%'")).toBe(50)
    expect(countRows(t, 'items', "kind = 'comment'")).toBe(50)
    expect(countRows(t, 'items', "kind = 'dm'")).toBe(50)
    expect(message(t, '845612379012345_990000000000049')!.text).toBe('Komentar warga ke-50 🙏')
  })
})

describe('Facebook texts byte for byte', () => {
  it('stores names and texts with diacritics and emoji exactly, whether Meta escapes them (\\uXXXX) or not', async () => {
    const t = await app()
    const escaped = fixture('id-feed-comment-escaped')
    expect(/^[\x00-\x7f]*$/.test(escaped)).toBe(true)
    await deliver(t, escaped, fixture('id-messenger-text'))
    const comment = message(t, '845612379012345_1203948576677777')!
    expect(comment.author_name).toBe('Ñoman Suryadî 🇮🇩')
    expect(comment.text).toBe('Pak, lampu PJU di Jl. Raya Banjaran mati 3 hari 😡 — mohon dibenerin. “kutip” & <b>bukan html</b> / garis')
    expect(Buffer.from(comment.text, 'utf8').equals(Buffer.from(JSON.parse(escaped).entry[0].changes[0].value.message, 'utf8'))).toBe(true)
    const dm = message(t, 'm_Hq3x8Y5bKp2wVn9sLt6rCd1ZfJ4gUe7aMo0iRy2Xk5NhQb8TvWs3Pz6Lc9Dj1Ff4Gg7')!
    expect(dm.text).toBe('Permisi min, kepriben carane daftar kartu tani? nyong durung duwe 🙏 — Bu Sri, Désa Pagerbarang')
    const supervisor = await signIn(t.app, 'prokompim')
    const detail = (await t.app.inject({ url: `/api/items/${comment.item_id}`, headers: supervisor.headers })).json()
    expect(detail.messages[0]).toMatchObject({ authorName: 'Ñoman Suryadî 🇮🇩', text: comment.text })
  })

  it('clips a huge comment to 4000 characters, ending in “…”, without splitting an emoji', async () => {
    const t = await app()
    const body = JSON.parse(fixture('id-feed-comment-citizen'))
    body.entry[0].changes[0].value.message = `${'a'.repeat(3998)}😡${'b'.repeat(60_000)}`
    await deliver(t, JSON.stringify(body))
    const text = message(t, '845612379012345_1203948576612345')!.text
    expect(text).toBe(`${'a'.repeat(3998)}…`)
  })
})

describe('Facebook government replies and the response clock', () => {
  it('stops the clock when the Page replies natively under the citizen’s comment', async () => {
    const t = await app()
    await deliver(t, fixture('id-feed-comment-citizen'), fixture('id-feed-comment-citizen-reply'), fixture('id-feed-comment-page-reply'))
    const item = itemOf(t, '845612379012345_1203948576612345')!
    expect(item).toMatchObject({ status: 'answered', first_response_seconds: 5400, awaiting_since: null })
    expect(message(t, '845612379012345_1203948576698765')).toMatchObject({ direction: 'out', author_name: 'Facebook Pemkab Tegal', author_external_id: PAGE })
  })

  it('stops the clock on a native Page Inbox reply in Messenger (echo, app 263902037430900)', async () => {
    const t = await app()
    await deliver(t, fixture('id-messenger-text'), fixture('id-messenger-echo-page-inbox'))
    const item = itemOf(t, '7012345678901234')!
    expect(item).toMatchObject({ kind: 'dm', status: 'answered', first_response_seconds: 1800 })
    expect(messages(t).map((m) => [m.direction, m.author_name])).toEqual([
      ['in', 'Pengguna Messenger …1234'],
      ['out', 'Admin Halaman (Page Inbox)'],
    ])
  })

  it('keeps a thread answered when the citizen only sends a 👍 after the reply', async () => {
    const t = await app()
    const like = JSON.parse(fixture('id-messenger-image'))
    Object.assign(like.entry[0].messaging[0], { timestamp: (T + 3600) * 1000 })
    like.entry[0].messaging[0].message = {
      mid: 'm_like_1',
      sticker_id: 369239263222822,
      attachments: [{ type: 'image', payload: { url: 'https://scontent.xx.fbcdn.net/like.png', sticker_id: 369239263222822 } }],
    }
    await deliver(t, fixture('id-messenger-text'), fixture('id-messenger-echo-page-inbox'), JSON.stringify(like))
    expect(message(t, 'm_like_1')).toMatchObject({ text: '[👍]', direction: 'in' })
    expect(itemOf(t, '7012345678901234')).toMatchObject({ status: 'answered', first_response_seconds: 1800 })
  })

  it('counts our own Messenger reply and its echo once', async () => {
    const { t, api } = await appWithApi({ clock: () => (T + 3600) * 1000 })
    await deliver(t, fixture('id-messenger-text'))
    const item = itemOf(t, '7012345678901234')!
    const admin = await signIn(t.app, 'prokompim')
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/items/${item.id}/replies`,
      headers: admin.headers,
      payload: { text: 'Bisa, Bu. Silakan ke BPP kecamatan 🙏' },
    })
    expect(res.statusCode).toBe(201)
    const sent = await eventually(() => rows<{ state: string; external_id: string }>(t, "SELECT state, external_id FROM replies WHERE state = 'sent'")[0])
    const call = api.callsTo('facebook').at(-1)!
    expect(call.path).toBe(`/${PAGE}/messages`)
    expect(call.headers.authorization).toBe(`Bearer ${DEMO_SECRETS.meta.accessToken}`)
    expect(call.body).toEqual({ recipient: { id: '7012345678901234' }, messaging_type: 'RESPONSE', message: { text: 'Bisa, Bu. Silakan ke BPP kecamatan 🙏' } })
    // Messenger echoes every message the Page sends, ours included, with the mid the Send API returned.
    const echo = JSON.parse(fixture('id-messenger-echo-page-inbox'))
    Object.assign(echo.entry[0].messaging[0].message, { mid: sent.external_id, text: 'Bisa, Bu. Silakan ke BPP kecamatan 🙏', app_id: 1517776481860111 })
    await deliver(t, JSON.stringify(echo))
    expect(countRows(t, 'messages', "direction = 'out'")).toBe(1)
    expect(itemOf(t, '7012345678901234')!.status).toBe('answered')
  })

  it('counts our own comment reply and the feed event of it once', async () => {
    const { t, api } = await appWithApi({ clock: () => (T + 3600) * 1000 })
    await deliver(t, fixture('id-feed-comment-citizen'))
    const item = itemOf(t, '845612379012345_1203948576612345')!
    const admin = await signIn(t.app, 'prokompim')
    await t.app.inject({
      method: 'POST',
      url: `/api/items/${item.id}/replies`,
      headers: admin.headers,
      payload: { text: 'Siap, Kak Dédé. Tim DPUPR meluncur 🚧' },
    })
    const sent = await eventually(() => rows<{ external_id: string }>(t, "SELECT external_id FROM replies WHERE state = 'sent'")[0])
    const call = api.callsTo('facebook').at(-1)!
    expect(call.path).toBe('/845612379012345_1203948576612345/comments')
    expect(call.body).toEqual({ message: 'Siap, Kak Dédé. Tim DPUPR meluncur 🚧' })
    expect(sent.external_id).toMatch(/^845612379012345_\d+$/)
    const feedEvent = JSON.parse(fixture('id-feed-comment-page-reply'))
    Object.assign(feedEvent.entry[0].changes[0].value, { comment_id: sent.external_id, message: 'Siap, Kak Dédé. Tim DPUPR meluncur 🚧' })
    await deliver(t, JSON.stringify(feedEvent))
    expect(countRows(t, 'messages', "direction = 'out'")).toBe(1)
  })
})

describe('Messenger citizens’ names from the User Profile API', () => {
  const demo = DEMO_CHANNELS.find((c) => c.platform === 'facebook')!
  const channel: SimChannel = { platform: 'facebook', accountId: demo.accountId, name: demo.name, credentials: demo.credentials! }
  const at = Date.UTC(2026, 10, 23, 1, 0)
  let serial = 0
  const dm = (psid: string, authorName: string, sentAt = at) =>
    facebookMaker.make(channel, [
      {
        kind: 'dm',
        text: `Pesan ${++serial}: kapan bansos cair min?`,
        authorName,
        authorId: psid,
        messageId: `m_profile_${serial}`,
        threadId: psid,
        at: sentAt,
      },
    ]).body
  const profileCalls = (api: FakeApi) => api.callsTo('facebook').filter((c) => c.method === 'GET' && c.path !== `/${PAGE}`)
  /** The app on a clock the test moves (the name memory and the pauses run on it). */
  async function appOnClock() {
    let now = at
    const a = await appWithApi({ clock: () => now })
    return { ...a, advance: (ms: number) => void (now += ms), now: () => now }
  }

  it('shows the citizen’s name on the message and the item, asking Graph once per citizen', async () => {
    const { t, api } = await appOnClock()
    await deliver(t, dm('7301000000000001', 'Siti Rahayu'))
    expect(profileCalls(api)).toHaveLength(1)
    expect(profileCalls(api)[0]).toMatchObject({
      path: '/7301000000000001',
      query: { fields: 'name,first_name,last_name' },
      headers: { authorization: `Bearer ${DEMO_SECRETS.meta.accessToken}` },
    })
    expect(itemOf(t, '7301000000000001')!.citizen_name).toBe('Siti Rahayu')
    const admin = await signIn(t.app, 'prokompim')
    expect((await t.app.inject({ url: '/api/items', headers: admin.headers })).json().items[0]).toMatchObject({ kind: 'dm', citizenName: 'Siti Rahayu' })
    // A later message (and a batch with two of hers) reuses the name: no second call.
    await deliver(t, dm('7301000000000001', 'Siti Rahayu'), dm('7301000000000001', 'Siti Rahayu'))
    expect(rows(t, "SELECT DISTINCT author_name FROM messages WHERE author_external_id = '7301000000000001'")).toEqual([{ author_name: 'Siti Rahayu' }])
    expect(profileCalls(api)).toHaveLength(1)
  })

  it('keeps the placeholder when Graph fails, and stops asking for a while when it is down or throttling', async () => {
    const { t, api, advance } = await appOnClock()
    api.failNext('facebook', 1, 503)
    await deliver(t, dm('7301000000000002', 'Bu Warsini'))
    expect(itemOf(t, '7301000000000002')!.citizen_name).toBe('Pengguna Messenger …0002')
    // Down: the next citizens are not looked up for a minute, so an outage costs one call.
    await deliver(t, dm('7301000000000003', 'Pak Darmo', at + 1000))
    expect(message(t, `m_profile_${serial}`)!.author_name).toBe('Pengguna Messenger …0003')
    expect(profileCalls(api)).toHaveLength(1)
    advance(61_000)
    // Throttled (code 613 in a 400): a quarter of an hour without calls.
    api.failNext('facebook', 1, 400, { error: { message: '(#613) Calls to this api have exceeded the rate limit.', type: 'OAuthException', code: 613 } })
    await deliver(t, dm('7301000000000004', 'Mas Yanto', at + 62_000))
    advance(10 * 60_000)
    await deliver(t, dm('7301000000000005', 'Mbak Lilis', at + 11 * 60_000))
    expect(profileCalls(api)).toHaveLength(2)
    expect(itemOf(t, '7301000000000005')!.citizen_name).toBe('Pengguna Messenger …0005')
    advance(6 * 60_000)
    await deliver(t, dm('7301000000000006', 'Pak Kusnadi', at + 18 * 60_000))
    expect(itemOf(t, '7301000000000006')!.citizen_name).toBe('Pak Kusnadi')
    expect(profileCalls(api)).toHaveLength(3)
  })

  it('remembers for an hour that Graph has no profile for a citizen, then asks again', async () => {
    const { t, api, advance } = await appOnClock()
    // The fake knows only people the simulator made write to the Page, as Graph shows only those.
    const unknown = JSON.stringify({
      object: 'page',
      entry: [
        {
          id: PAGE,
          time: at,
          messaging: [{ sender: { id: '7301000000000099' }, recipient: { id: PAGE }, timestamp: at, message: { mid: 'm_unknown_1', text: 'halo' } }],
        },
      ],
    })
    await deliver(t, unknown, unknown.replace('m_unknown_1', 'm_unknown_2'))
    expect(rows(t, "SELECT author_name FROM messages WHERE author_external_id = '7301000000000099'")).toEqual([
      { author_name: 'Pengguna Messenger …0099' },
      { author_name: 'Pengguna Messenger …0099' },
    ])
    expect(profileCalls(api)).toHaveLength(1)
    advance(3_600_000)
    await deliver(t, unknown.replace('m_unknown_1', 'm_unknown_3'))
    expect(profileCalls(api)).toHaveLength(2)
  })
})

describe('Facebook sending against the fake Graph API', () => {
  async function withCitizenComment() {
    const a = await appWithApi({ clock: () => (T + 3600) * 1000 })
    await deliver(a.t, fixture('id-feed-comment-citizen'))
    const item = itemOf(a.t, '845612379012345_1203948576612345')!
    const admin = await signIn(a.t.app, 'prokompim')
    const reply = (text: string) => a.t.app.inject({ method: 'POST', url: `/api/items/${item.id}/replies`, headers: admin.headers, payload: { text } })
    const detail = async () => (await a.t.app.inject({ url: `/api/items/${item.id}`, headers: admin.headers })).json()
    return { ...a, item, reply, detail }
  }

  it('retries a 5xx and a rate limit (code 613 in a 400), then succeeds', async () => {
    const { t, api, reply, detail } = await withCitizenComment()
    api.failNext('facebook', 1, 500, {
      error: {
        message: 'An unexpected error has occurred. Please retry your request later.',
        type: 'OAuthException',
        is_transient: true,
        code: 2,
        fbtrace_id: 'Abc',
      },
    })
    await reply('Terima kasih, Kak 🙏')
    await eventually(() => countRows(t, 'replies', "state = 'sent'") === 1)
    expect(api.callsTo('facebook')).toHaveLength(2)
    api.failNext('facebook', 1, 400, { error: { message: '(#613) Calls to this api have exceeded the rate limit.', type: 'OAuthException', code: 613 } })
    await reply('Kami cek ke lokasi ya')
    await eventually(() => countRows(t, 'replies', "state = 'sent'") === 2)
    expect(api.callsTo('facebook')).toHaveLength(4)
    expect((await detail()).item.status).toBe('answered')
  })

  it('shows a permanent 400 on the item without retrying it', async () => {
    const { t, api, reply, detail } = await withCitizenComment()
    api.failNext('facebook', 1, 400, {
      error: { message: '(#100) Unsupported post request. Object does not exist.', type: 'GraphMethodException', code: 100, error_subcode: 33 },
    })
    await reply('Terima kasih, Kak 🙏')
    await eventually(() => countRows(t, 'replies', "state = 'failed'") === 1)
    expect(api.callsTo('facebook')).toHaveLength(1)
    const d = await detail()
    expect(d.replies[0].state).toBe('failed')
    expect(d.replies[0].error).toContain('(#100) Unsupported post request')
    expect(d.replies[0].error).toContain('code 100/33')
    expect(d.item.status).toBe('open')
  })

  it('fails a token error (190) at once, with the platform’s message', async () => {
    const { t, api, reply, detail } = await withCitizenComment()
    api.failNext('facebook', 1, 400, {
      error: { message: 'Error validating access token: Session has expired.', type: 'OAuthException', code: 190, error_subcode: 463 },
    })
    await reply('Halo')
    await eventually(() => countRows(t, 'replies', "state = 'failed'") === 1)
    expect(api.callsTo('facebook')).toHaveLength(1)
    expect((await detail()).replies[0].error).toContain('Session has expired')
  })

  it('gives up after the last attempt of a lasting outage, saying why', async () => {
    const { t, api, reply, detail } = await withCitizenComment()
    api.failNext('facebook', 5, 503, { error: { message: 'Service temporarily unavailable', code: 2, is_transient: true } })
    await reply('Halo')
    await eventually(() => countRows(t, 'replies', "state = 'failed'") === 1)
    expect(api.callsTo('facebook')).toHaveLength(3)
    expect((await detail()).replies[0].error).toContain('Service temporarily unavailable')
  })

  it('enforces Messenger’s 24-hour window but none on comments', async () => {
    let now = T * 1000
    const { t } = await appWithApi({ clock: () => now })
    await deliver(t, fixture('id-messenger-text'), fixture('id-feed-comment-citizen'))
    const admin = await signIn(t.app, 'prokompim')
    const dm = itemOf(t, '7012345678901234')!
    const comment = itemOf(t, '845612379012345_1203948576612345')!
    const detail = (await t.app.inject({ url: `/api/items/${dm.id}`, headers: admin.headers })).json()
    expect(detail.replyWindowClosesAt).toBe(T * 1000 + 123 + 24 * 3_600_000)
    // Sessions last 12 hours: sign in again after each move of the clock.
    now = T * 1000 + 23 * 3_600_000
    const inTime = await t.app.inject({
      method: 'POST',
      url: `/api/items/${dm.id}/replies`,
      headers: (await signIn(t.app, 'prokompim')).headers,
      payload: { text: 'Silakan, Bu' },
    })
    expect(inTime.statusCode).toBe(201)
    now = T * 1000 + 25 * 3_600_000
    const nextDay = await signIn(t.app, 'prokompim')
    const late = await t.app.inject({ method: 'POST', url: `/api/items/${dm.id}/replies`, headers: nextDay.headers, payload: { text: 'Maaf baru dibalas' } })
    expect(late.statusCode).toBe(422)
    expect(late.json().error.code).toBe('WINDOW_CLOSED')
    const onComment = await t.app.inject({
      method: 'POST',
      url: `/api/items/${comment.id}/replies`,
      headers: nextDay.headers,
      payload: { text: 'Maaf baru dibalas' },
    })
    expect(onComment.statusCode).toBe(201)
    await eventually(() => countRows(t, 'replies', "state = 'sent'") === 2)
  })

  it('refuses a Messenger reply longer than 2000 characters before calling Facebook', async () => {
    const { t, api } = await appWithApi({ clock: () => (T + 3600) * 1000 })
    await deliver(t, fixture('id-messenger-text'))
    const admin = await signIn(t.app, 'prokompim')
    const dm = itemOf(t, '7012345678901234')!
    await t.app.inject({ method: 'POST', url: `/api/items/${dm.id}/replies`, headers: admin.headers, payload: { text: 'x'.repeat(2001) } })
    await eventually(() => countRows(t, 'replies', "state = 'failed'") === 1)
    // Only the lookup of the citizen's name, when the message arrived.
    expect(api.callsTo('facebook').map((c) => c.method)).toEqual(['GET'])
    expect(rows<{ error: string }>(t, 'SELECT error FROM replies')[0]!.error).toContain('2000')
  })

  it('tests the connection with the Page’s name, and reports a bad token', async () => {
    const { t, api } = await appWithApi()
    const demo = DEMO_CHANNELS.find((c) => c.platform === 'facebook')!
    const channel: OpenChannel = {
      id: channelId(t, 'facebook'),
      platform: 'facebook',
      accountId: demo.accountId,
      name: demo.name,
      credentials: { ...demo.credentials! },
      settings: {},
    }
    const apiBase = t.config.platformApi.facebook
    await expect(facebookConnector.testConnection!(channel, apiBase, fetch)).resolves.toBe(`Halaman Facebook "Facebook Pemkab Tegal" (${PAGE})`)
    expect(api.callsTo('facebook').at(-1)).toMatchObject({ method: 'GET', path: `/${PAGE}`, query: { fields: 'id,name' } })
    await expect(facebookConnector.testConnection!({ ...channel, credentials: { accessToken: 'expired' } }, apiBase, fetch)).rejects.toThrow(
      /code 190.*Invalid OAuth access token/,
    )
  })
})

describe('Facebook normalizer under fuzzing', () => {
  const ctx: NormalizeContext = { opdIdByCode: () => undefined, triageOpdId: () => 1 }
  const input = (raw: string | Buffer): DeliveryInput => ({
    id: 1,
    platform: 'facebook',
    channelId: null,
    dedupeKey: 'meta:fuzz',
    rawBody: Buffer.isBuffer(raw) ? raw : Buffer.from(raw, 'utf8'),
    receivedAt: T * 1000,
    trackingCode: null,
  })
  const NAMES = [
    'id-feed-comment-citizen',
    'id-feed-comment-page-reply',
    'id-messenger-text',
    'id-messenger-echo-page-inbox',
    'id-messenger-standby',
    'id-messenger-image',
    'feed-comment-add-with-photo',
    'feed-comment-edited-25',
    'feed-comment-remove-25',
    'mention-comment-add',
    'messaging-message-sticker',
    'messaging-message-reply-1',
    'messaging-message-edits',
    'messaging-message-isdeleted',
    'messaging-postback-chat',
    'messaging-message-basic-echo',
    'messaging-read-basic',
  ]
  const parsed = NAMES.map((n) => JSON.parse(fixture(n)) as unknown)

  const huge = fc.constantFrom('é'.repeat(70_000), '😡'.repeat(40_000), 'x'.repeat(200_000), '\u0000\ud800'.repeat(1000))
  const value: fc.Arbitrary<unknown> = fc.oneof(
    fc.string(),
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.constant(undefined),
    huge,
    fc.constantFrom('constructor', '__proto__', 'toString', 'hide', 'edited', 'remove', 'comment', 'mention', 'feed'),
    fc.bigInt({ min: 10n ** 16n, max: 10n ** 30n }).map((n) => ({ big: n.toString() })),
    fc.array(fc.jsonValue(), { maxLength: 3 }),
    fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 3 }),
  )
  const op = fc.record({ at: fc.nat(), kind: fc.constantFrom('drop', 'replace', 'wrapArray', 'wrapObject', 'stringify'), value })

  /** Every (parent, key) in a JSON tree. */
  function slots(root: unknown): [Record<string, unknown> | unknown[], string | number][] {
    const out: [Record<string, unknown> | unknown[], string | number][] = []
    const walk = (v: unknown) => {
      if (Array.isArray(v)) {
        v.forEach((c, i) => {
          out.push([v, i])
          walk(c)
        })
      } else if (v && typeof v === 'object') {
        for (const [k, c] of Object.entries(v)) {
          out.push([v as Record<string, unknown>, k])
          walk(c)
        }
      }
    }
    walk(root)
    return out
  }
  function mutate(doc: unknown, ops: { at: number; kind: string; value: unknown }[]): string {
    const copy = structuredClone(doc)
    for (const o of ops) {
      const all = slots(copy)
      if (!all.length) break
      const [parent, key] = all[o.at % all.length]!
      const p = parent as Record<string | number, unknown>
      const v = o.value && typeof o.value === 'object' && 'big' in (o.value as object) ? (o.value as { big: string }).big : o.value
      if (o.kind === 'drop') Array.isArray(parent) ? parent.splice(key as number, 1) : delete p[key]
      else if (o.kind === 'replace') p[key] = v
      else if (o.kind === 'wrapArray') p[key] = [p[key]]
      else if (o.kind === 'wrapObject') p[key] = { value: p[key] }
      else p[key] = JSON.stringify(p[key] ?? null)
    }
    // Some mutations write big ids as bare JSON numbers, the way old payloads did.
    return JSON.stringify(copy).replace(/"(\d{16,30})"/g, (m, d: string) => (d.length % 2 ? d : m))
  }

  function check(raw: string | Buffer) {
    try {
      const events = facebookConnector.normalize(input(raw), ctx)
      for (const e of events) {
        expect(typeof e.externalId).toBe('string')
        expect(typeof e.externalThreadId).toBe('string')
        expect(typeof e.accountId).toBe('string')
        expect(e.text.length).toBeLessThanOrEqual(4000)
        expect(e.authorName.length).toBeLessThanOrEqual(120)
        expect(Number.isFinite(e.sentAt)).toBe(true)
        expect(['add', 'edit', 'delete']).toContain(e.verb)
      }
    } catch (err) {
      expect(err).toBeInstanceOf(Error)
      expect((err as Error).constructor).toBe(Error)
      expect((err as Error).message.length).toBeGreaterThan(0)
    }
  }

  it('lets only plain Errors escape, and only well-formed events out, for mutated real deliveries', () => {
    fc.assert(
      fc.property(fc.nat(NAMES.length - 1), fc.array(op, { minLength: 1, maxLength: 5 }), (n, ops) => check(mutate(parsed[n], ops))),
      { numRuns: 400 },
    )
  })

  it('lets only plain Errors escape for random bodies', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.jsonValue().map((v) => JSON.stringify(v)),
          fc.jsonValue().map((entry) => JSON.stringify({ object: 'page', entry })),
        ),
        (raw) => check(raw),
      ),
      { numRuns: 300 },
    )
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => check(Buffer.from(bytes))),
      { numRuns: 100 },
    )
    for (const raw of [
      '[',
      '['.repeat(200_000),
      `{"object":"page","entry":${'['.repeat(50_000)}`,
      '{"object":"page","entry":[{"id":"1","changes":[{"field":"feed","value":{"item":"comment","verb":"add"}}]}]}',
    ])
      check(raw)
  })

  it('finds nothing on Object’s prototype for hostile verbs and attachment types', () => {
    const feed = JSON.parse(fixture('id-feed-comment-citizen'))
    feed.entry[0].changes[0].value.verb = 'constructor'
    expect(facebookConnector.normalize(input(JSON.stringify(feed)), ctx)).toEqual([])
    const dm = JSON.parse(fixture('id-messenger-image'))
    dm.entry[0].messaging[0].message.attachments[0].type = 'constructor'
    expect(facebookConnector.normalize(input(JSON.stringify(dm)), ctx)[0]!.text).toBe('[lampiran]')
  })

  it('keeps a big numeric id exact', () => {
    const raw =
      '{"object":"page","entry":[{"id":102030405060708,"time":1795399200,"changes":[{"field":"feed","value":{"item":"comment","verb":"add","comment_id":"1_2","post_id":"102030405060708_1","parent_id":"102030405060708_1","from":{"id":12345678901234567890,"name":"Budi"},"created_time":1795399200,"message":"tes"}}]}]}'
    expect(facebookConnector.normalize(input(raw), ctx)[0]!.authorExternalId).toBe('12345678901234567890')
  })

  it('marks deliveries it cannot read as failed with a reason, and keeps serving', async () => {
    const t = await app()
    const unreadable = [
      '{"object":"page","entry":"nope"}',
      '{"object":"page","entry":[{"id":"102030405060708","changes":[{"field":"feed","value":{"item":"comment","verb":"add","message":"tanpa id"}}]}]}',
      '{"object":"page","entry":[{"id":"102030405060708","messaging":[{"sender":{},"recipient":{"id":"102030405060708"},"message":{"text":"tanpa mid"}}]}]}',
    ]
    const fuzzed = fc
      .sample(fc.tuple(fc.nat(NAMES.length - 1), fc.array(op, { minLength: 1, maxLength: 4 })), { numRuns: 40, seed: 42 })
      .map(([n, ops]) => mutate(parsed[n], ops))
      .filter((raw) => JSON.parse(raw)?.object === 'page')
    await deliver(t, ...unreadable, ...fuzzed)
    const failed = rows<{ raw_body: Buffer; error: string }>(t, "SELECT raw_body, error FROM deliveries WHERE state = 'failed'")
    expect(failed.map((f) => f.error)).toEqual(
      expect.arrayContaining([
        'Meta delivery has no entry list',
        'unreadable Meta delivery: feed comment without comment_id',
        'unreadable Meta delivery: messaging event without message id, account or citizen id',
      ]),
    )
    for (const f of failed) expect(f.error.length).toBeGreaterThan(0)
    expect(countRows(t, 'deliveries', "state = 'pending'")).toBe(0)
    expect((await t.app.inject({ url: '/healthz' })).statusCode).toBe(200)
    await deliver(t, fixture('id-feed-comment-citizen'))
    expect(message(t, '845612379012345_1203948576612345')).toBeDefined()
  })
})

describe('Facebook in the simulator', () => {
  const demo = DEMO_CHANNELS.find((c) => c.platform === 'facebook')!
  const channel: SimChannel = { platform: 'facebook', accountId: demo.accountId, name: demo.name, credentials: demo.credentials! }
  const at = Date.UTC(2026, 10, 23, 1, 0)
  const posts: SimPost[] = [
    {
      kind: 'comment',
      text: 'Lampu PJU di Jl. Raya Banjaran mati 3 hari 😡',
      authorName: 'Mbak Yuni 🌸',
      authorId: '6301',
      messageId: '1001',
      threadId: '5001',
      at,
    },
    {
      kind: 'comment',
      text: 'Mohon maaf, petugas meluncur hari ini 🙏',
      authorName: demo.name,
      authorId: demo.accountId,
      messageId: '1002',
      threadId: '5001',
      parentId: '1001',
      fromAccount: true,
      at: at + 600_000,
    },
    { kind: 'dm', text: 'kepriben carane daftar kartu tani min?', authorName: 'Tarno Tegal', authorId: '7301', messageId: '2001', threadId: '7301', at },
    { kind: 'mention', text: '@Pemkab Tegal jembatan Warureja retak!', authorName: 'Kang Darto', authorId: '7302', messageId: '3001', threadId: '9001', at },
  ]

  it('builds signed deliveries in Meta’s format that the app turns into messages', async () => {
    const t = await app()
    const d = facebookMaker.make(channel, posts)
    expect(d.path).toBe('/webhooks/meta')
    expect(/^[\x00-\x7f]*$/.test(d.body)).toBe(true)
    const res = await postMeta(t, d.body, d.headers)
    expect(res.statusCode).toBe(200)
    await eventually(() => countRows(t, 'deliveries', "state = 'processed'") === 1)
    expect(message(t, '5001_1001')).toMatchObject({
      text: 'Lampu PJU di Jl. Raya Banjaran mati 3 hari 😡',
      author_name: 'Mbak Yuni 🌸',
      sent_at: at,
      direction: 'in',
    })
    expect(message(t, '5001_1002')).toMatchObject({ direction: 'out', parent_external_id: '5001_1001' })
    expect(itemOf(t, '5001_1001')).toMatchObject({ status: 'answered', first_response_seconds: 600 })
    expect(message(t, '2001')).toMatchObject({ text: 'kepriben carane daftar kartu tani min?', author_external_id: '7301' })
    expect(itemOf(t, '9001_3001')!.kind).toBe('mention')
  })

  it('answers the calls the sender makes the way Graph does', async () => {
    const { t, api } = await appWithApi()
    const base = t.config.platformApi.facebook
    const auth = { authorization: `Bearer ${DEMO_SECRETS.meta.accessToken}`, 'content-type': 'application/json' }
    const comment = await fetch(`${base}/v21.0/5001_1001/comments`, { method: 'POST', headers: auth, body: JSON.stringify({ message: 'Siap 🙏' }) })
    expect(comment.status).toBe(200)
    expect((await comment.json()).id).toMatch(/^5001_\d+$/)
    const dm = await fetch(`${base}/${PAGE}/messages`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ recipient: { id: '7301' }, messaging_type: 'RESPONSE', message: { text: 'Halo' } }),
    })
    expect(await dm.json()).toMatchObject({ recipient_id: '7301', message_id: expect.stringMatching(/^m_/) })
    const noToken = await fetch(`${base}/${PAGE}/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })
    expect(noToken.status).toBe(400)
    expect((await noToken.json()).error).toMatchObject({ type: 'OAuthException', code: 2500 })
    const noRecipient = await fetch(`${base}/${PAGE}/messages`, { method: 'POST', headers: auth, body: JSON.stringify({ message: { text: 'Halo' } }) })
    expect((await noRecipient.json()).error).toMatchObject({ code: 100, message: '(#100) The parameter recipient is required' })
    expect(api.callsTo('facebook')).toHaveLength(4)
  })
})
