// The X (Twitter) Account Activity connector end to end: signed deliveries in X's real format
// through /webhooks/x into messages and items, the CRC handshake, the response clock with native
// replies and echoes, replies sent to a local fake of the X API, fuzzing, and the simulator pieces.
import { createHmac } from 'node:crypto'
import { readFileSync } from 'node:fs'
import fc from 'fast-check'
import { afterEach, describe, expect, it } from 'vitest'
import type { DeliveryInput, NormalizedEvent, OpenChannel } from '../../server/src/connectors/types.ts'
import { normalizeX } from '../../server/src/connectors/x/normalize.ts'
import { tweetLength } from '../../server/src/connectors/x/length.ts'
import { testXConnection } from '../../server/src/connectors/x/send.ts'
import { signX, X_SIGNATURE_HEADER } from '../../server/src/connectors/x/verify.ts'
import { CITIZEN_NAMES, CITIZEN_TEXTS } from '../../server/src/simulator/corpus.ts'
import { xApi, xMaker } from '../../server/src/simulator/platforms/x.ts'
import type { ApiCall, SimChannel, SimPost } from '../../server/src/simulator/types.ts'
import { eventually, opdId, signIn, type TestApp } from '../helpers/app.ts'
import { channelId, countRows, createAppWithFakeApi, DEMO_CHANNELS, DEMO_SECRETS, postRaw, rows } from '../helpers/webhooks.ts'

const ACCOUNT = '1400000000000000001'
const SECRET = DEMO_SECRETS.x.consumerSecret
const MENTION_ID = '1992781234567890123'
const CITIZEN_ID = '1587654321098765312'
const MENTION_TEXT = '@pemkabtegal Min, gili nang Adiwerna bolong-bolong kaya kiye, kapan dibenerin? motor wis pada jatuh 😡🙏'
const FIXTURES = [
  'tweet-mention',
  'tweet-native-reply',
  'tweet-reply-extended',
  'dm-message-create',
  'dm-reference',
  'tweet-delete',
  'retweet',
  'favorite',
] as const

type Fixture = (typeof FIXTURES)[number]
type Doc = Record<string, any>

const fixture = (name: Fixture): string => readFileSync(new URL(`../fixtures/x/${name}.json`, import.meta.url), 'utf8')
const doc = (name: Fixture): Doc => JSON.parse(fixture(name))
const signed = (body: string | Buffer, secret = SECRET) => ({ [X_SIGNATURE_HEADER]: signX(secret, body) })

interface MessageRow {
  item_id: number
  external_id: string
  parent_external_id: string | null
  direction: string
  author_name: string
  author_external_id: string | null
  text: string
  sent_at: number
  deleted_at: number | null
  edited_at: number | null
}
interface ItemRow {
  id: number
  kind: string
  status: string
  external_thread_id: string
  citizen_name: string
  preview: string
  channel_id: number
  awaiting_since: number | null
  first_response_seconds: number | null
}

const messages = (t: Pick<TestApp, 'db'>) => rows<MessageRow>(t, "SELECT * FROM messages WHERE platform = 'x' ORDER BY sent_at, id")
const message = (t: Pick<TestApp, 'db'>, externalId: string) =>
  rows<MessageRow>(t, "SELECT * FROM messages WHERE platform = 'x' AND external_id = ?", externalId)[0]
const item = (t: Pick<TestApp, 'db'>, thread: string) => rows<ItemRow>(t, "SELECT * FROM items WHERE platform = 'x' AND external_thread_id = ?", thread)[0]
const deliveryCount = (t: Pick<TestApp, 'db'>) => countRows(t, 'deliveries')

/** Posts a body signed as X signs it and waits until its job has run. */
async function deliver(t: TestApp, body: string, secret = SECRET) {
  const res = await postRaw(t, '/webhooks/x', body, signed(body, secret))
  expect(res.statusCode, res.body).toBe(200)
  await t.jobs.idle()
}

/** The echo X sends of a post the account made (through Tanggap or natively). */
function ownReply(id: string, text: string, parent: string, parentUser = CITIZEN_ID, at = Date.now()): string {
  const d = doc('tweet-native-reply')
  Object.assign(d.tweet_create_events[0], {
    id_str: id,
    text,
    in_reply_to_status_id_str: parent,
    in_reply_to_user_id_str: parentUser,
    timestamp_ms: String(at),
  })
  return JSON.stringify(d)
}

/** Another citizen tweet shaped like the mention fixture (without its edit history, which names the fixture's id). */
function tweetLike(overrides: Doc): Doc {
  const { edit_history: _h, edit_controls: _c, ...base } = doc('tweet-mention').tweet_create_events[0]
  return { ...base, ...overrides }
}

const input = (body: string | Buffer, receivedAt = Date.now()): DeliveryInput => ({
  id: 1,
  platform: 'x',
  channelId: null,
  dedupeKey: 'fuzz',
  rawBody: Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8'),
  receivedAt,
  trackingCode: null,
})
const ctx = { opdIdByCode: () => undefined, triageOpdId: () => 1 }

let close: (() => Promise<void>) | undefined
afterEach(async () => {
  await close?.()
  close = undefined
})
async function app(opts: Parameters<typeof createAppWithFakeApi>[0] = {}) {
  const made = await createAppWithFakeApi(opts)
  close = made.close
  return made
}

describe('X deliveries in the real format', () => {
  it('turns a mention into a mention item with the citizen’s words, name, X’s time and the tweet as thread', async () => {
    const { t } = await app()
    await deliver(t, fixture('tweet-mention'))
    const m = message(t, MENTION_ID)!
    expect(m).toMatchObject({
      direction: 'in',
      text: MENTION_TEXT,
      author_name: 'Dédé Ñurhasanah 🌸',
      author_external_id: CITIZEN_ID,
      sent_at: 1763950530123,
      parent_external_id: null,
    })
    const i = item(t, MENTION_ID)!
    expect(i).toMatchObject({
      kind: 'mention',
      status: 'open',
      citizen_name: 'Dédé Ñurhasanah 🌸',
      awaiting_since: 1763950530123,
      channel_id: channelId(t, 'x'),
    })

    // The X channel belongs to Diskominfo: its admin sees the item, another OPD's admin does not.
    const kominfo = await signIn(t.app, 'kominfo')
    const list = (await t.app.inject({ url: '/api/items?platform=x', headers: kominfo.headers })).json()
    expect(list.items).toHaveLength(1)
    expect(list.items[0]).toMatchObject({
      kind: 'mention',
      platform: 'x',
      citizenName: 'Dédé Ñurhasanah 🌸',
      preview: MENTION_TEXT,
      opd: { code: 'diskominfo' },
    })
    const dukcapil = await signIn(t.app, 'dukcapil')
    expect((await t.app.inject({ url: '/api/items?platform=x', headers: dukcapil.headers })).json().items).toHaveLength(0)
  })

  it('reads a truncated reply to one of our posts from extended_tweet.full_text, decoding X’s &amp; &lt;', async () => {
    const { t } = await app()
    await deliver(t, fixture('tweet-reply-extended'))
    const m = message(t, '1992792983456789012')!
    expect(m.text).toBe(
      '@pemkabtegal Pak, PBB tahun ini kok naik dua kali lipat? Sawah & pekarangan di Kramat <1 hektar tapi tagihannya 1,2 juta. Mohon penjelasannya, nyong bingung kudu bayar pira 🙏 #PBBTegal',
    )
    expect(m).toMatchObject({ author_name: 'Slamet Riyadi', author_external_id: '98765432', parent_external_id: '1992700000000000001', sent_at: 1763953331456 })
    // A reply under our announcement is a comment, and each citizen's reply is its own item.
    expect(item(t, '1992792983456789012')).toMatchObject({ kind: 'comment', status: 'open' })
    expect(item(t, '1992700000000000001')).toBeUndefined()
  })

  it('turns a DM into a DM item whose thread is the citizen, named from the users map', async () => {
    const { t } = await app()
    await deliver(t, fixture('dm-message-create'))
    expect(message(t, '1992817654321098765')).toMatchObject({
      direction: 'in',
      author_name: 'Dédé Ñurhasanah 🌸',
      author_external_id: CITIZEN_ID,
      sent_at: 1763959205789,
      text: 'Assalamualaikum min, akta kelahiran anak saya sudah 2 minggu belum jadi. Nomor antrean 0217, statusnya gimana nggih? 🙏',
    })
    expect(item(t, CITIZEN_ID)).toMatchObject({ kind: 'dm', status: 'open' })
  })

  it('reads X’s own DM sample as written, and refuses it when no channel has its account', async () => {
    const events = normalizeX(input(fixture('dm-reference')), ctx)
    expect(events).toEqual([
      {
        accountId: '4337869213',
        verb: 'add',
        kind: 'dm',
        externalThreadId: '3001969357',
        externalId: '954491830116155396',
        parentExternalId: null,
        direction: 'in',
        authorName: 'Jordan Brinks',
        authorExternalId: '3001969357',
        text: 'Hello World!',
        sentAt: 1516403560557,
      },
    ])
    // Signed with the app's secret, but for an account no channel has: nobody could vouch for it or answer it.
    const { t } = await app()
    const res = await postRaw(t, '/webhooks/x', fixture('dm-reference'), signed(fixture('dm-reference')))
    expect(res.statusCode).toBe(404)
    expect(res.json().error).toMatchObject({ code: 'NOT_FOUND', message: 'No active X channel for this for_user_id' })
    await t.jobs.idle()
    expect(deliveryCount(t)).toBe(0)
    expect(countRows(t, 'messages')).toBe(0)
  })

  it('takes the time from created_at (v1.1 and RFC 2822 forms) when timestamp_ms is missing', () => {
    const d = doc('tweet-mention')
    delete d.tweet_create_events[0].timestamp_ms
    expect(normalizeX(input(JSON.stringify(d)), ctx)[0]!.sentAt).toBe(Date.UTC(2025, 10, 24, 2, 15, 30))
    d.tweet_create_events[0].created_at = 'Mon, 24 Nov 2025 09:15:30 +0700'
    expect(normalizeX(input(JSON.stringify(d)), ctx)[0]!.sentAt).toBe(Date.UTC(2025, 10, 24, 2, 15, 30))
    // No usable platform time at all: the time we received it, rather than losing the citizen's post.
    d.tweet_create_events[0].created_at = 'kemarin sore'
    expect(normalizeX(input(JSON.stringify(d), 1763950600000), ctx)[0]!.sentAt).toBe(1763950600000)
  })

  it('marks a deleted post deleted and keeps its text in the revisions', async () => {
    const { t } = await app()
    await deliver(t, fixture('tweet-mention'))
    await deliver(t, fixture('tweet-delete'))
    expect(message(t, MENTION_ID)).toMatchObject({ deleted_at: 1763960400321, text: MENTION_TEXT })
    expect(rows(t, 'SELECT change, previous_text FROM message_revisions')).toEqual([{ change: 'delete', previous_text: MENTION_TEXT }])
  })

  it('updates the text of an edited post instead of making a second message', async () => {
    const { t } = await app()
    await deliver(t, fixture('tweet-mention'))
    const d = doc('tweet-mention')
    Object.assign(d.tweet_create_events[0], {
      id_str: '1992782000000000001',
      text: '@pemkabtegal Min, gili nang Adiwerna (RT 03/RW 05) bolong-bolong, kapan dibenerin?',
      timestamp_ms: '1763950650000',
      edit_history: { initial_tweet_id: MENTION_ID, edit_tweet_ids: [MENTION_ID, '1992782000000000001'] },
    })
    await deliver(t, JSON.stringify(d))
    expect(messages(t)).toHaveLength(1)
    expect(message(t, MENTION_ID)).toMatchObject({
      text: '@pemkabtegal Min, gili nang Adiwerna (RT 03/RW 05) bolong-bolong, kapan dibenerin?',
      edited_at: 1763950650000,
    })
  })

  it('adds nothing for retweets, likes and follows, and marks those deliveries processed', async () => {
    const { t } = await app()
    await deliver(t, fixture('retweet'))
    await deliver(t, fixture('favorite'))
    const follow = JSON.stringify({
      for_user_id: ACCOUNT,
      follow_events: [{ type: 'follow', created_timestamp: '1763957400000', target: { id: ACCOUNT }, source: { id: '98765432' } }],
    })
    await deliver(t, follow)
    expect(countRows(t, 'messages')).toBe(0)
    expect(countRows(t, 'items', "platform = 'x'")).toBe(0)
    expect(rows(t, 'SELECT DISTINCT state FROM deliveries')).toEqual([{ state: 'processed' }])
  })
})

describe('X webhook security', () => {
  const crc = (token: string, secret = SECRET) => `sha256=${createHmac('sha256', secret).update(token).digest('base64')}`

  it('answers the CRC with base64 HMAC-SHA256 of the token under the consumer secret', async () => {
    const { t } = await app()
    const res = await t.app.inject({ url: '/webhooks/x?crc_token=Y2hhbGxlbmdlLTE3NjM5NTA1MzA' })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual({ response_token: crc('Y2hhbGxlbmdlLTE3NjM5NTA1MzA') })
    expect((await t.app.inject({ url: '/webhooks/x' })).statusCode).toBe(400)
    // A base64 token's '+', '/' and '=' are signed as sent, percent-encoded or not.
    for (const url of ['/webhooks/x?crc_token=ab+cd/ef==', '/webhooks/x?crc_token=ab%2Bcd%2Fef%3D%3D']) {
      expect((await t.app.inject({ url })).json()).toEqual({ response_token: crc('ab+cd/ef==') })
    }
  })

  it('refuses to sign a JSON body through the CRC (it would forge a delivery signature)', async () => {
    const { t } = await app()
    const forged = JSON.stringify({ for_user_id: ACCOUNT, tweet_create_events: [] })
    const res = await t.app.inject({ url: `/webhooks/x?crc_token=${encodeURIComponent(forged)}` })
    expect(res.statusCode).toBe(400)
    expect(res.body).not.toContain('sha256=')
  })

  it('refuses junk signed through the CRC (GET ?crc_token=T signs any T) and stores nothing', async () => {
    const { t } = await app()
    // Anyone can have the app sign a string of their choice: the CRC answer is a valid delivery signature for it.
    const signedByCrc = async (token: string) => {
      const res = await t.app.inject({ url: `/webhooks/x?crc_token=${encodeURIComponent(token)}` })
      expect(res.statusCode).toBe(200)
      return { [X_SIGNATURE_HEADER]: res.json().response_token as string }
    }
    for (const junk of ['kiye-dudu-json', 'null', 'true', ACCOUNT, '<script>alert(1)</script>']) {
      const res = await postRaw(t, '/webhooks/x', junk, await signedByCrc(junk))
      expect(res.statusCode, junk).toBe(400)
      expect(res.json().error).toMatchObject({
        code: 'VALIDATION',
        message: 'Body is not an X Account Activity delivery (a JSON object with a string for_user_id)',
        requestId: expect.any(String),
      })
    }
    // Truly signed but not what X sends: an array, an object without a for_user_id, a number for one (it has lost digits).
    for (const body of ['[]', JSON.stringify({ tweet_create_events: [] }), JSON.stringify({ for_user_id: 1400000000000000001, tweet_create_events: [] })]) {
      const res = await postRaw(t, '/webhooks/x', body, signed(body))
      expect(res.statusCode, body).toBe(400)
    }
    await t.jobs.idle()
    expect(deliveryCount(t)).toBe(0)

    // The real thing for the channel's account is stored and read as before.
    await deliver(t, fixture('tweet-mention'))
    expect(deliveryCount(t)).toBe(1)
    expect(message(t, MENTION_ID)).toMatchObject({ text: MENTION_TEXT, direction: 'in' })
  })

  it('answers 401 and stores nothing for a wrong, missing, malformed or borrowed signature', async () => {
    const { t } = await app()
    const body = fixture('tweet-mention')
    const other = fixture('tweet-reply-extended')
    const hex = `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`
    const attempts: Record<string, string>[] = [
      {},
      signed(body, 'not-the-consumer-secret'),
      signed(other), // a real signature, of another body
      { [X_SIGNATURE_HEADER]: hex }, // Meta's hex encoding is not X's
      { [X_SIGNATURE_HEADER]: signX(SECRET, body).slice('sha256='.length) },
      { [X_SIGNATURE_HEADER]: 'sha256=!!!!' },
    ]
    for (const headers of attempts) {
      const res = await postRaw(t, '/webhooks/x', body, headers)
      expect(res.statusCode).toBe(401)
      expect(res.json().error.code).toBe('UNAUTHENTICATED')
    }
    await t.jobs.idle()
    expect(deliveryCount(t)).toBe(0)
    expect(countRows(t, 'messages')).toBe(0)
  })

  it('with two X apps: each signs only for its own accounts, and ?account= picks the CRC secret', async () => {
    const { t } = await app()
    const admin = await signIn(t.app, 'superadmin')
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/admin/channels',
      headers: admin.headers,
      payload: {
        platform: 'x',
        accountId: '1500000000000000002',
        name: 'X @dishubtegal',
        opdId: opdId(t, 'dishub'),
        secrets: { consumerSecret: 'dishub-app-secret', accessToken: 'dishub-token' },
      },
    })
    expect(created.statusCode, created.body).toBe(201)

    // Dishub's app cannot speak for Pemkab's account…
    const res = await postRaw(t, '/webhooks/x', fixture('tweet-mention'), signed(fixture('tweet-mention'), 'dishub-app-secret'))
    expect(res.statusCode).toBe(403)
    expect(deliveryCount(t)).toBe(0)
    // …but can for its own.
    const own = fixture('tweet-mention').replaceAll(`"for_user_id": "${ACCOUNT}"`, '"for_user_id": "1500000000000000002"')
    await deliver(t, own, 'dishub-app-secret')
    expect(item(t, MENTION_ID)!.channel_id).toBe(created.json().id)

    const token = 'Zm9vYmFyYmF6'
    expect((await t.app.inject({ url: `/webhooks/x?crc_token=${token}&account=1500000000000000002` })).json()).toEqual({
      response_token: crc(token, 'dishub-app-secret'),
    })
    expect((await t.app.inject({ url: `/webhooks/x?crc_token=${token}` })).json()).toEqual({ response_token: crc(token) })
  })
})

describe('X duplicates and batches', () => {
  it('stores a delivery X sends three times once, as one message', async () => {
    const { t } = await app()
    for (let i = 0; i < 3; i++) await deliver(t, fixture('tweet-mention'))
    expect(deliveryCount(t)).toBe(1)
    expect(messages(t)).toHaveLength(1)
  })

  it('keeps one message when the same tweet comes again in other bytes (a replay)', async () => {
    const { t } = await app()
    await deliver(t, fixture('tweet-mention'))
    await deliver(t, JSON.stringify(doc('tweet-mention')))
    expect(deliveryCount(t)).toBe(2)
    expect(messages(t)).toHaveLength(1)
  })

  it('turns a batch of 50 tweet_create_events into 50 messages', async () => {
    const { t } = await app()
    const d = doc('tweet-mention')
    const base = d.tweet_create_events[0]
    d.tweet_create_events = Array.from({ length: 50 }, (_, n) =>
      tweetLike({
        id_str: `19927812345678${String(n).padStart(5, '0')}`,
        text: `@pemkabtegal ${CITIZEN_TEXTS[n % CITIZEN_TEXTS.length]}`,
        timestamp_ms: String(1763950530123 + n * 1000),
        user: { ...base.user, id_str: String(1587654321098765312n + BigInt(n)), name: CITIZEN_NAMES[n % CITIZEN_NAMES.length] },
      }),
    )
    await deliver(t, JSON.stringify(d))
    expect(messages(t)).toHaveLength(50)
    expect(countRows(t, 'items', "platform = 'x'")).toBe(50)
    expect(message(t, '1992781234567800049')!.text).toBe(`@pemkabtegal ${CITIZEN_TEXTS[49 % CITIZEN_TEXTS.length]}`)
  })

  it('keeps the readable entries of a batch with an unreadable one', () => {
    const d = doc('tweet-mention')
    d.tweet_create_events.push({ id: 5, text: 'no id_str' }, 'not a tweet')
    expect(normalizeX(input(JSON.stringify(d)), ctx).map((e) => e.externalId)).toEqual([MENTION_ID])
  })
})

describe('X: Indonesian names and texts', () => {
  const TEXTS = [
    'Pak, lampu PJU di Jl. Raya Banjaran mati 3 hari 😡 — mohon dibenerin. “kutip” ‘tunggal’',
    'kepriben carane daftar kartu tani min? nyong durung duwe 🙏🏽 ꦱꦸꦮꦸꦤ꧀ ꦥꦶꦧꦤ꧀ꦠꦸꦮꦤ꧀',
    'Keluarga kami 👨‍👩‍👧‍👦 belum terdaftar PKH; rumah di RT 04/RW 02, Désa Kédungbanteng 🇮🇩',
    'Café Ñoño di alun-alun: sampah menumpuk ≥ 3 hari… tolong 🧹🗑️',
  ]
  const NAMES = ['Dédé Ñurhasanah 🌸', 'Mbak Yuni 🌸', 'Ágùs Śetiawan', 'Kang Darto 👳🏽‍♂️']

  function batch(): string {
    const d = doc('tweet-mention')
    const base = d.tweet_create_events[0]
    d.tweet_create_events = TEXTS.map((text, n) =>
      tweetLike({ id_str: `199278123456789100${n}`, text, user: { ...base.user, id_str: `15876543210987653${n}0`, name: NAMES[n] } }),
    )
    return JSON.stringify(d)
  }

  it('passes the signature over the UTF-8 bytes and stores names and texts byte for byte', async () => {
    const { t } = await app()
    const body = batch()
    // A signature over other bytes of the same characters (Latin-1) is not X's.
    const latin1 = await postRaw(t, '/webhooks/x', body, { [X_SIGNATURE_HEADER]: signX(SECRET, Buffer.from(body, 'latin1')) })
    expect(latin1.statusCode).toBe(401)
    await deliver(t, body)
    const stored = messages(t)
    expect(stored).toHaveLength(TEXTS.length)
    for (const [n, text] of TEXTS.entries()) {
      const m = message(t, `199278123456789100${n}`)!
      expect(Buffer.from(m.text, 'utf8').equals(Buffer.from(text, 'utf8'))).toBe(true)
      expect(Buffer.from(m.author_name, 'utf8').equals(Buffer.from(NAMES[n]!, 'utf8'))).toBe(true)
    }
    const raw = rows<{ raw_body: Buffer }>(t, 'SELECT raw_body FROM deliveries')[0]!.raw_body
    expect(raw.equals(Buffer.from(body, 'utf8'))).toBe(true)
  })

  it('reads the same words when X escapes them as \\u sequences', async () => {
    const { t } = await app()
    const escaped = batch().replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
    expect(escaped).not.toMatch(/[^\x00-\x7f]/)
    await deliver(t, escaped)
    expect(
      messages(t)
        .map((m) => m.text)
        .sort((a, b) => a.localeCompare(b)),
    ).toEqual([...TEXTS].sort((a, b) => a.localeCompare(b)))
  })
})

describe('X government replies and the response clock', () => {
  it('stops the clock at a native reply by the account, timed by X’s timestamps', async () => {
    const { t } = await app()
    await deliver(t, fixture('tweet-mention'))
    await deliver(t, fixture('tweet-native-reply'))
    const i = item(t, MENTION_ID)!
    expect(i).toMatchObject({ status: 'answered', first_response_seconds: 1802, awaiting_since: null })
    expect(messages(t).map((m) => [m.direction, m.author_name])).toEqual([
      ['in', 'Dédé Ñurhasanah 🌸'],
      ['out', 'Pemkab Tegal'],
    ])

    const supervisor = await signIn(t.app, 'prokompim')
    const detail = (await t.app.inject({ url: `/api/items/${i.id}`, headers: supervisor.headers })).json()
    expect(detail.item).toMatchObject({ status: 'answered', firstResponseSeconds: 1802 })
    expect(detail.firstResponseAt).toBe(1763952332123)
  })

  it('ignores the account’s own announcements and thread continuations (they answer no one)', () => {
    const announcement = JSON.parse(ownReply('1992700000000000001', 'Jadwal pelayanan KTP-el keliling pekan ini.', ''))
    Object.assign(announcement.tweet_create_events[0], { in_reply_to_status_id_str: null, in_reply_to_user_id_str: null })
    expect(normalizeX(input(JSON.stringify(announcement)), ctx)).toEqual([])
    expect(normalizeX(input(ownReply('1992700000000000002', '2/2 Selasa di Bumijawa.', '1992700000000000001', ACCOUNT)), ctx)).toEqual([])
  })

  it('counts our reply and its echo once, replying under the citizen’s tweet with the account’s token', async () => {
    const { t, api } = await app()
    await deliver(t, fixture('tweet-mention'))
    const i = item(t, MENTION_ID)!
    const admin = await signIn(t.app, 'kominfo')
    const text = 'Terima kasih laporannya, Kak. Sudah kami teruskan ke DPUPR 🙏'
    const res = await t.app.inject({ method: 'POST', url: `/api/items/${i.id}/replies`, headers: admin.headers, payload: { text } })
    expect(res.statusCode).toBe(201)
    const detail = await eventually(async () => {
      const d = (await t.app.inject({ url: `/api/items/${i.id}`, headers: admin.headers })).json()
      return d.replies[0]?.state === 'sent' ? d : null
    })
    expect(detail.item.status).toBe('answered')
    const calls = api.callsTo('x')
    expect(calls).toHaveLength(1)
    expect(calls[0]).toMatchObject({ method: 'POST', path: '/2/tweets', body: { text, reply: { in_reply_to_tweet_id: MENTION_ID } } })
    expect(calls[0]!.headers.authorization).toBe(`Bearer ${DEMO_SECRETS.x.accessToken}`)

    const sentId = rows<{ external_id: string }>(t, 'SELECT external_id FROM replies')[0]!.external_id
    expect(sentId).toMatch(/^\d{15,}$/)
    await deliver(t, ownReply(sentId, `@dede_nur4 ${text}`, MENTION_ID))
    expect(countRows(t, 'messages', "direction = 'out'")).toBe(1)
    expect(message(t, sentId)!.item_id).toBe(i.id)
  })

  it('answers a DM by DM to the citizen and counts the echo once', async () => {
    const { t, api } = await app()
    await deliver(t, fixture('dm-message-create'))
    const i = item(t, CITIZEN_ID)!
    const admin = await signIn(t.app, 'kominfo')
    const text = 'Waalaikumsalam, Kak. Aktanya sudah jadi, bisa diambil di MPP Slawi besok pukul 08.00 WIB.'
    await t.app.inject({ method: 'POST', url: `/api/items/${i.id}/replies`, headers: admin.headers, payload: { text } })
    await eventually(() => rows<{ state: string }>(t, 'SELECT state FROM replies')[0]?.state === 'sent')
    expect(api.callsTo('x')[0]).toMatchObject({ method: 'POST', path: `/2/dm_conversations/with/${CITIZEN_ID}/messages`, body: { text } })

    const sentId = rows<{ external_id: string }>(t, 'SELECT external_id FROM replies')[0]!.external_id
    const echo = doc('dm-message-create')
    Object.assign(echo.direct_message_events[0], { id: sentId, created_timestamp: String(Date.now()) })
    Object.assign(echo.direct_message_events[0].message_create, {
      sender_id: ACCOUNT,
      target: { recipient_id: CITIZEN_ID },
      source_app_id: '268278',
      message_data: { text },
    })
    await deliver(t, JSON.stringify(echo))
    expect(countRows(t, 'messages', "direction = 'out'")).toBe(1)
    expect(item(t, CITIZEN_ID)!.status).toBe('answered')
  })

  it('stops a DM’s clock at a DM the account sent natively', async () => {
    const { t } = await app()
    await deliver(t, fixture('dm-message-create'))
    const echo = doc('dm-message-create')
    Object.assign(echo.direct_message_events[0], { id: '1992818000000000001', created_timestamp: String(1763959205789 + 25 * 60_000) })
    Object.assign(echo.direct_message_events[0].message_create, {
      sender_id: ACCOUNT,
      target: { recipient_id: CITIZEN_ID },
      message_data: { text: 'Sudah jadi, Kak 🙏' },
    })
    await deliver(t, JSON.stringify(echo))
    expect(item(t, CITIZEN_ID)).toMatchObject({ status: 'answered', first_response_seconds: 25 * 60 })
    expect(message(t, '1992818000000000001')).toMatchObject({ direction: 'out', author_name: 'Pemkab Tegal' })
  })
})

describe('X threads', () => {
  const OUTSIDE = '1992000000000000777' // a news outlet's tweet the account never saw
  const OTHER_CITIZEN = '1587654321098765999'
  const reply = (id: string, userId: string, name: string, text: string, parent: string, parentUser: string, at: number) =>
    tweetLike({
      id_str: id,
      text,
      timestamp_ms: String(at),
      in_reply_to_status_id_str: parent,
      in_reply_to_user_id_str: parentUser,
      user: { id_str: userId, name, screen_name: name.toLowerCase() },
    })
  const delivery = (...tweets: Doc[]) => JSON.stringify({ for_user_id: ACCOUNT, tweet_create_events: tweets })

  it('makes a mention in reply to someone else’s tweet its own item, and keeps each conversation together', async () => {
    const { t } = await app()
    const at = 1763950000000
    // Two citizens answer the same outside tweet, each mentioning the account: two items, each rooted at the mention.
    await deliver(
      t,
      delivery(reply('1992000000000001001', CITIZEN_ID, 'Dede', '@pemkabtegal @beritategal gili nang Adiwerna kapan dibenerin?', OUTSIDE, '55555', at)),
    )
    await deliver(
      t,
      delivery(reply('1992000000000001002', OTHER_CITIZEN, 'Warsito', '@pemkabtegal @beritategal nang Slawi uga bolong', OUTSIDE, '55555', at + 1000)),
    )
    expect(item(t, OUTSIDE)).toBeUndefined()
    const first = item(t, '1992000000000001001')!
    const second = item(t, '1992000000000001002')!
    expect(first).toMatchObject({ kind: 'mention', citizen_name: 'Dede', status: 'open' })
    expect(second).toMatchObject({ kind: 'mention', citizen_name: 'Warsito', status: 'open' })
    expect(first.id).not.toBe(second.id)
    expect(message(t, '1992000000000001001')!.parent_external_id).toBe(OUTSIDE)

    // The account answers the first natively: that item is answered, the other still waits.
    await deliver(t, ownReply('1992000000000001003', '@dede Sudah kami teruskan ke DPUPR.', '1992000000000001001', CITIZEN_ID, at + 60_000))
    expect(item(t, '1992000000000001001')).toMatchObject({ status: 'answered', first_response_seconds: 60 })
    expect(item(t, '1992000000000001002')).toMatchObject({ status: 'open' })
    // The citizen's follow-up under their own mention, and their answer to our reply, stay in their item.
    await deliver(
      t,
      delivery(
        reply('1992000000000001004', CITIZEN_ID, 'Dede', '@pemkabtegal iki fotone', '1992000000000001001', CITIZEN_ID, at + 120_000),
        reply('1992000000000001005', CITIZEN_ID, 'Dede', '@pemkabtegal suwun, kapan dikerjakan?', '1992000000000001003', ACCOUNT, at + 180_000),
      ),
    )
    expect(rows(t, "SELECT count(*) AS n FROM items WHERE platform = 'x'")).toEqual([{ n: 2 }])
    expect(
      rows<{ item_id: number }>(
        t,
        "SELECT item_id FROM messages WHERE external_id IN ('1992000000000001003', '1992000000000001004', '1992000000000001005')",
      ).map((m) => m.item_id),
    ).toEqual([first.id, first.id, first.id])
    expect(item(t, '1992000000000001001')).toMatchObject({ status: 'open', awaiting_since: at + 120_000 })
  })
})

describe('X replies against the fake X API', () => {
  async function replyTo(t: TestApp, thread: string, text: string) {
    const i = item(t, thread)!
    const admin = await signIn(t.app, 'kominfo')
    const res = await t.app.inject({ method: 'POST', url: `/api/items/${i.id}/replies`, headers: admin.headers, payload: { text } })
    expect(res.statusCode, res.body).toBe(201)
    const reply = await eventually(async () => {
      const d = (await t.app.inject({ url: `/api/items/${i.id}`, headers: admin.headers })).json()
      return d.replies[0]?.state !== 'pending' ? d.replies[0] : null
    })
    return reply as { state: string; error: string | null }
  }

  it('retries a 503 and a 429, then succeeds', async () => {
    const { t, api } = await app()
    await deliver(t, fixture('tweet-mention'))
    api.failNext('x', 1, 503, { title: 'Service Unavailable', detail: 'Service Unavailable', type: 'about:blank', status: 503 })
    expect(await replyTo(t, MENTION_ID, 'Sedang kami cek, Kak.')).toMatchObject({ state: 'sent', error: null })
    expect(api.callsTo('x')).toHaveLength(2)

    await deliver(t, fixture('dm-message-create'))
    api.failNext('x', 1, 429, { title: 'Too Many Requests', detail: 'Too Many Requests', type: 'about:blank', status: 429 })
    expect(await replyTo(t, CITIZEN_ID, 'Baik, Kak.')).toMatchObject({ state: 'sent' })
    expect(api.callsTo('x')).toHaveLength(4)
  })

  it('gives up after the last attempt of repeated 5xx, showing X’s words', async () => {
    const { t, api } = await app()
    await deliver(t, fixture('tweet-mention'))
    api.failNext('x', 3, 500, { title: 'Internal Server Error', detail: 'Something went wrong. Please try again later.', type: 'about:blank', status: 500 })
    const reply = await replyTo(t, MENTION_ID, 'Sedang kami cek, Kak.')
    expect(reply.state).toBe('failed')
    expect(reply.error).toContain('X API 500: Something went wrong. Please try again later.')
    expect(api.callsTo('x')).toHaveLength(3)
  })

  it('does not retry a 400 or a 403, and shows X’s error on the item', async () => {
    const { t, api } = await app()
    await deliver(t, fixture('tweet-mention'))
    api.failNext('x', 1, 400, {
      errors: [{ parameters: { 'reply.in_reply_to_tweet_id': [MENTION_ID] }, message: 'The `reply.in_reply_to_tweet_id` parameter value is not valid' }],
      title: 'Invalid Request',
      detail: 'One or more parameters to your request was invalid.',
      type: 'https://api.twitter.com/2/problems/invalid-request',
    })
    const reply = await replyTo(t, MENTION_ID, 'Sedang kami cek, Kak.')
    expect(reply.state).toBe('failed')
    expect(reply.error).toContain(
      'X API 400: One or more parameters to your request was invalid.; The `reply.in_reply_to_tweet_id` parameter value is not valid',
    )
    expect(api.callsTo('x')).toHaveLength(1)

    await deliver(t, fixture('tweet-reply-extended'))
    api.failNext('x', 1, 403, { detail: 'You are not allowed to create a Tweet with duplicate content.', type: 'about:blank', title: 'Forbidden', status: 403 })
    expect((await replyTo(t, '1992792983456789012', 'Sedang kami cek, Kak.')).error).toContain('duplicate content')
    expect(api.callsTo('x')).toHaveLength(2)
  })

  it('refuses a reply longer than X allows without calling X', async () => {
    const { t, api } = await app()
    await deliver(t, fixture('tweet-mention'))
    const reply = await replyTo(t, MENTION_ID, `Terima kasih laporannya. ${'Jalan akan diperbaiki bertahap. '.repeat(9)}`)
    expect(reply.state).toBe('failed')
    expect(reply.error).toMatch(/280 characters as X counts them; this one is \d+/)
    expect(api.callsTo('x')).toHaveLength(0)
  })

  it('counts length as X does: emoji and CJK weigh 2, links 23, Indonesian letters 1', () => {
    expect(tweetLength('a'.repeat(280))).toBe(280)
    expect(tweetLength('é'.repeat(280))).toBe(280)
    expect(tweetLength('e\u0301')).toBe(1)
    expect(tweetLength('🙏')).toBe(2)
    expect(tweetLength('👨‍👩‍👧‍👦')).toBe(2)
    expect(tweetLength('日本')).toBe(4)
    expect(tweetLength('Info: https://tegalkab.go.id/layanan/ktp-el?ref=x')).toBe(6 + 23)
  })

  it('has no reply window: a mention can be answered 40 days later', async () => {
    let now = Date.UTC(2025, 10, 24, 3, 0, 0)
    const { t } = await app({ clock: () => now })
    await deliver(t, fixture('tweet-mention'))
    await deliver(t, fixture('dm-message-create'))
    now += 40 * 86_400_000
    const admin = await signIn(t.app, 'kominfo')
    for (const thread of [MENTION_ID, CITIZEN_ID]) {
      const i = item(t, thread)!
      expect((await t.app.inject({ url: `/api/items/${i.id}`, headers: admin.headers })).json().replyWindowClosesAt).toBeNull()
      const res = await t.app.inject({
        method: 'POST',
        url: `/api/items/${i.id}/replies`,
        headers: admin.headers,
        payload: { text: 'Mohon maaf baru sempat membalas.' },
      })
      expect(res.statusCode).toBe(201)
    }
    await eventually(() => countRows(t, 'replies', "state = 'sent'") === 2)
  })

  it('tests the connection with GET /2/users/me and checks the token is the channel’s account', async () => {
    const { t } = await app()
    const admin = await signIn(t.app, 'superadmin')
    const res = await t.app.inject({ method: 'POST', url: `/api/admin/channels/${channelId(t, 'x')}/test`, headers: admin.headers })
    expect(res.json()).toEqual({ ok: true, detail: `@pemkabtegal, id ${ACCOUNT}` })

    const base = `${t.config.platformApi.x}`
    const channel: OpenChannel = { id: 1, platform: 'x', accountId: ACCOUNT, name: 'X @pemkabtegal', credentials: { accessToken: 'dicabut' }, settings: {} }
    await expect(testXConnection(channel, base, fetch)).rejects.toThrow('X API 401: Unauthorized')
    await expect(testXConnection({ ...channel, accountId: '42', credentials: DEMO_SECRETS.x }, base, fetch)).rejects.toThrow(/belongs to @pemkabtegal/)
  })
})

// ---- fuzzing ---------------------------------------------------------------------------------

type Path = (string | number)[]
function pathsOf(v: unknown, at: Path = [], out: Path[] = []): Path[] {
  out.push(at)
  if (Array.isArray(v)) {
    v.forEach((x, i) => {
      pathsOf(x, [...at, i], out)
    })
  } else if (v && typeof v === 'object') for (const k of Object.keys(v)) pathsOf((v as Doc)[k], [...at, k], out)
  return out
}

type Mutation = { op: 'drop' } | { op: 'set'; value: unknown } | { op: 'huge' } | { op: 'wrap' } | { op: 'nest' }
const HUGE = `${'Jalan rusak 😡 '.repeat(20_000)}🙏`

function mutate(root: unknown, path: Path, m: Mutation): unknown {
  const change = (v: unknown): unknown =>
    m.op === 'drop' ? undefined : m.op === 'set' ? m.value : m.op === 'huge' ? HUGE : m.op === 'wrap' ? [v] : { value: v }
  if (!path.length) return change(root) ?? null
  const parent = path.slice(0, -1).reduce<any>((o, k) => o[k], root)
  const key = path[path.length - 1]!
  const next = change(parent[key])
  if (next === undefined) {
    if (Array.isArray(parent)) parent.splice(key as number, 1)
    else delete parent[key]
  } else parent[key] = next
  return root
}

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.constant<Mutation>({ op: 'drop' }),
  fc.record({
    op: fc.constant('set' as const),
    value: fc.oneof(
      fc.anything(),
      fc.string(),
      fc.integer(),
      fc.double(),
      fc.constant(null),
      fc.constant(''),
      fc.constant('9'.repeat(40)),
      fc.constant(2 ** 63),
      fc.constant('__proto__'),
      fc.constant([]),
    ),
  }),
  fc.constant<Mutation>({ op: 'huge' }),
  fc.constant<Mutation>({ op: 'wrap' }),
  fc.constant<Mutation>({ op: 'nest' }),
)

const mutatedFixture = fc.tuple(fc.constantFrom(...FIXTURES), fc.array(fc.tuple(fc.nat(), mutationArb), { minLength: 1, maxLength: 4 })).map(([name, muts]) => {
  let d: unknown = doc(name)
  for (const [n, m] of muts) {
    const paths = pathsOf(d)
    d = mutate(d, paths[n % paths.length]!, m)
  }
  return JSON.stringify(d)
})

function checkEvent(e: NormalizedEvent) {
  expect(e.accountId).toMatch(/^\d{1,25}$/)
  expect(e.externalId).toMatch(/^\d{1,25}$/)
  expect(e.externalThreadId).toMatch(/^\d{1,25}$/)
  expect(['add', 'edit', 'delete']).toContain(e.verb)
  expect(['mention', 'comment', 'dm']).toContain(e.kind)
  expect(['in', 'out']).toContain(e.direction)
  expect(typeof e.text).toBe('string')
  expect(e.text.length).toBeLessThanOrEqual(4000)
  expect(e.text).not.toMatch(/[\uD800-\uDBFF]$/)
  expect(e.authorName.length).toBeLessThanOrEqual(120)
  expect(Number.isSafeInteger(e.sentAt)).toBe(true)
}

/** Only a plain Error (never a TypeError or RangeError) may leave normalize, and only for unreadable bodies. */
function normalizeSafely(body: string | Buffer): NormalizedEvent[] | Error {
  try {
    const events = normalizeX(input(body), ctx)
    events.forEach(checkEvent)
    return events
  } catch (err) {
    if (!(err instanceof Error) || Object.getPrototypeOf(err) !== Error.prototype) throw new Error(`normalize let ${String(err)} escape`)
    expect(err.message).toMatch(/^X delivery/)
    return err
  }
}

describe('X normalizer under hostile input', () => {
  it('lets only a plain Error escape for random bytes and random JSON', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => void normalizeSafely(Buffer.from(bytes))),
      { numRuns: 200 },
    )
    fc.assert(
      fc.property(fc.jsonValue(), (v) => void normalizeSafely(JSON.stringify(v))),
      { numRuns: 300 },
    )
    fc.assert(
      fc.property(
        fc.dictionary(fc.constantFrom('tweet_create_events', 'tweet_delete_events', 'direct_message_events', 'users', 'apps'), fc.anything()),
        fc.oneof(fc.constant(ACCOUNT), fc.anything()),
        (events, forUser) => void normalizeSafely(JSON.stringify({ ...events, for_user_id: forUser })),
      ),
      { numRuns: 300 },
    )
  })

  it('lets only a plain Error escape for mutated real deliveries, and what it reads is well formed', () => {
    fc.assert(
      fc.property(mutatedFixture, (body) => void normalizeSafely(body)),
      { numRuns: 500 },
    )
  })

  it('cuts a huge text to 4000 characters, ending in “…”, without splitting an emoji', () => {
    const d = doc('tweet-mention')
    d.tweet_create_events[0].text = HUGE
    const [event] = normalizeSafely(JSON.stringify(d)) as NormalizedEvent[]
    expect(event!.text.length).toBeLessThanOrEqual(4000)
    expect(event!.text.endsWith('…')).toBe(true)
    expect(HUGE.startsWith(event!.text.slice(0, -1))).toBe(true)
  })

  it('never takes an id from a JSON number (it has lost digits)', () => {
    const d = doc('tweet-mention')
    delete d.tweet_create_events[0].id_str
    d.tweet_create_events[0].user.id_str = 1587654321098765312
    expect(normalizeSafely(JSON.stringify(d))).toBeInstanceOf(Error)
  })

  it('through the job: the process keeps running and unreadable deliveries are marked failed with a reason', async () => {
    const { t } = await app()
    const bodies = [
      ...fc.sample(mutatedFixture, 40),
      'not json at all',
      '[]',
      JSON.stringify({ for_user_id: 1400000000000000001, tweet_create_events: [] }),
      JSON.stringify({ for_user_id: ACCOUNT, tweet_create_events: 'kiye dudu array' }),
      JSON.stringify({ for_user_id: ACCOUNT, direct_message_events: [{ type: 'message_create', id: 954491830116155396 }] }),
    ]
    for (const body of bodies) {
      const res = await postRaw(t, '/webhooks/x', body, signed(body))
      // Junk, or a body naming an account of no channel, is refused (400, 404); the rest is accepted.
      expect([200, 400, 404]).toContain(res.statusCode)
    }
    await t.jobs.idle()
    const stored = rows<{ state: string; error: string | null; raw_body: Buffer }>(t, 'SELECT state, error, raw_body FROM deliveries')
    expect(stored.length).toBeGreaterThan(5)
    for (const d of stored) {
      expect(['processed', 'failed']).toContain(d.state)
      if (d.state === 'failed') expect(d.error).toMatch(/^X delivery/)
      expect(JSON.parse(d.raw_body.toString('utf8')).for_user_id).toBe(ACCOUNT)
    }
    const reason = (body: string) => stored.find((d) => d.raw_body.toString('utf8') === body)
    expect(reason('not json at all')).toBeUndefined()
    expect(reason('[]')).toBeUndefined()
    expect(reason(bodies.at(-3)!)).toBeUndefined()
    expect(reason(bodies.at(-2)!)).toMatchObject({ state: 'failed', error: 'X delivery: tweet_create_events is not an array' })
    expect(reason(bodies.at(-1)!)!.error).toContain('without a string id')
    expect((await t.app.inject({ url: '/healthz' })).statusCode).toBe(200)
  })
})

// ---- simulator -------------------------------------------------------------------------------

describe('X simulator pieces', () => {
  const demo = DEMO_CHANNELS.find((c) => c.platform === 'x')!
  const channel: SimChannel = { platform: 'x', accountId: demo.accountId, name: demo.name, credentials: demo.credentials! }
  const at = Date.UTC(2025, 10, 24, 1, 0, 0)
  const LONG = `${CITIZEN_TEXTS[10]} ${CITIZEN_TEXTS[22]} & <segera> ${CITIZEN_TEXTS[3]}`

  it('makes signed deliveries in X’s format that the app turns into the expected messages', async () => {
    const { t } = await app()
    const posts: SimPost[] = [
      {
        kind: 'mention',
        text: CITIZEN_TEXTS[0]!,
        authorName: 'Siti Aminah',
        authorId: '1600000000000000011',
        messageId: '1993000000000000001',
        threadId: '1993000000000000001',
        at,
      },
      {
        kind: 'comment',
        text: CITIZEN_TEXTS[1]!,
        authorName: 'Tarno Tegal',
        authorId: '1600000000000000012',
        messageId: '1993000000000000002',
        threadId: '1992700000000000001',
        at: at + 1000,
      },
      {
        kind: 'mention',
        text: LONG,
        authorName: 'Mbak Yuni 🌸',
        authorId: '1600000000000000013',
        messageId: '1993000000000000003',
        threadId: '1993000000000000003',
        at: at + 2000,
      },
      {
        kind: 'dm',
        text: CITIZEN_TEXTS[16]!,
        authorName: 'Kang Darto',
        authorId: '1600000000000000014',
        messageId: '1993000000000000004',
        threadId: '1600000000000000014',
        at: at + 3000,
      },
    ]
    for (const p of posts) {
      const delivery = xMaker.make(channel, [p])
      const res = await postRaw(t, delivery.path, delivery.body, delivery.headers)
      expect(res.statusCode).toBe(200)
    }
    await t.jobs.idle()
    expect(message(t, '1993000000000000001')).toMatchObject({ text: `@pemkabtegal ${CITIZEN_TEXTS[0]}`, author_name: 'Siti Aminah', sent_at: at })
    expect(item(t, '1993000000000000001')!.kind).toBe('mention')
    expect(item(t, '1993000000000000002')!.kind).toBe('comment')
    expect(message(t, '1993000000000000003')!.text).toBe(`@pemkabtegal ${LONG}`)
    expect(message(t, '1993000000000000004')).toMatchObject({ text: CITIZEN_TEXTS[16], author_name: 'Kang Darto' })
    expect(item(t, '1600000000000000014')!.kind).toBe('dm')

    // The account's own answers, made natively: both items become answered.
    const answers: SimPost[] = [
      {
        kind: 'mention',
        text: 'Baik, Kak, kami teruskan.',
        authorName: demo.name,
        authorId: demo.accountId,
        messageId: '1993000000000000005',
        threadId: '1993000000000000001',
        parentId: '1993000000000000001',
        fromAccount: true,
        at: at + 60_000,
      },
      {
        kind: 'dm',
        text: 'Kartu tani bisa didaftarkan di kantor desa.',
        authorName: demo.name,
        authorId: demo.accountId,
        messageId: '1993000000000000006',
        threadId: '1600000000000000014',
        fromAccount: true,
        at: at + 120_000,
      },
    ]
    const batch = xMaker.make(channel, answers)
    expect((await postRaw(t, batch.path, batch.body, batch.headers)).statusCode).toBe(200)
    await t.jobs.idle()
    expect(item(t, '1993000000000000001')).toMatchObject({ status: 'answered', first_response_seconds: 60 })
    expect(item(t, '1600000000000000014')).toMatchObject({ status: 'answered', first_response_seconds: 117 })
  })

  it('batches many posts into one delivery, with exact-digit numeric ids as X writes them', async () => {
    const { t } = await app()
    const posts = Array.from(
      { length: 50 },
      (_, n): SimPost => ({
        kind: 'mention',
        text: CITIZEN_TEXTS[n % CITIZEN_TEXTS.length]!,
        authorName: CITIZEN_NAMES[n % CITIZEN_NAMES.length]!,
        authorId: `17000000000000${String(n).padStart(5, '0')}`,
        messageId: `19940000000000${String(n).padStart(5, '0')}`,
        threadId: `19940000000000${String(n).padStart(5, '0')}`,
        at: at + n,
      }),
    )
    const delivery = xMaker.make(channel, posts)
    expect(delivery.body).toContain('"id":1994000000000000049,"id_str":"1994000000000000049"')
    expect((await postRaw(t, delivery.path, delivery.body, delivery.headers)).statusCode).toBe(200)
    await t.jobs.idle()
    expect(messages(t)).toHaveLength(50)
  })

  it('answers the calls the sender makes as X does', () => {
    const call = (method: string, path: string, body: unknown, token: string | null = DEMO_SECRETS.x.accessToken): ApiCall => ({
      platform: 'x',
      method,
      path,
      query: {},
      headers: token ? { authorization: `Bearer ${token}` } : {},
      body,
      at: Date.now(),
    })
    expect(xApi(call('POST', '/2/tweets', { text: 'Halo' }, null))).toMatchObject({ status: 401, body: { title: 'Unauthorized', status: 401 } })
    const tweet = xApi(call('POST', '/2/tweets', { text: 'Halo 🙏', reply: { in_reply_to_tweet_id: MENTION_ID } }))
    expect(tweet).toMatchObject({ status: 201, body: { data: { id: expect.stringMatching(/^\d{18,20}$/), text: 'Halo 🙏' } } })
    expect(xApi(call('POST', '/2/tweets', { text: 'x'.repeat(281) })).status).toBe(403)
    expect(xApi(call('POST', '/2/tweets', { text: 'Halo', reply: { in_reply_to_tweet_id: 1992781234567890123 } })).status).toBe(400)
    const dm = xApi(call('POST', `/2/dm_conversations/with/${CITIZEN_ID}/messages`, { text: 'Halo' }))
    expect(dm).toMatchObject({ status: 201, body: { data: { dm_conversation_id: `${ACCOUNT}-${CITIZEN_ID}`, dm_event_id: expect.stringMatching(/^\d+$/) } } })
    expect(xApi(call('POST', '/2/dm_conversations/with/abc/messages', { text: 'Halo' })).status).toBe(400)
    expect(xApi(call('GET', '/2/users/me', null))).toEqual({ status: 200, body: { data: { id: ACCOUNT, name: '@pemkabtegal', username: 'pemkabtegal' } } })
    expect(xApi(call('GET', '/1.1/statuses/home_timeline.json', null)).status).toBe(404)
  })
})
