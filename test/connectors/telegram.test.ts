// Telegram Bot API connector: webhook per bot with the secret token header, updates into messages
// (DMs with the bot, discussion-group comments, Telegram Business chats), replies through sendMessage
// against the fake Bot API, and the simulator's maker.
import fc from 'fast-check'
import { readFileSync } from 'node:fs'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { chatAdminCache } from '../../server/src/connectors/telegram/chat-admins.ts'
import { groupAdmins } from '../../server/src/connectors/telegram/enrich.ts'
import { normalizeTelegram } from '../../server/src/connectors/telegram/normalize.ts'
import { testTelegramConnection } from '../../server/src/connectors/telegram/send.ts'
import type { DeliveryInput, NormalizedEvent, OpenChannel } from '../../server/src/connectors/types.ts'
import type { FakeApi } from '../../server/src/simulator/fake-api.ts'
import {
  isSimStaffTurn,
  SIM_GROUP_OWNER,
  SIM_GROUP_STAFF,
  simDiscussionGroupId,
  telegramApi,
  telegramMaker,
} from '../../server/src/simulator/platforms/telegram.ts'
import type { SimChannel } from '../../server/src/simulator/types.ts'
import { signIn, type TestApp } from '../helpers/app.ts'
import { channelId, countRows, createAppWithFakeApi, DEMO_CHANNELS, DEMO_SECRETS, postRaw, rows } from '../helpers/webhooks.ts'

const BOT = '7000000001'
const HOOK = `/webhooks/telegram/${BOT}`
const SECRET_HEADER = 'x-telegram-bot-api-secret-token'
const SIGNED = { [SECRET_HEADER]: DEMO_SECRETS.telegram.secretToken }

const fixtureText = (name: string): string => readFileSync(new URL(`../fixtures/telegram/${name}`, import.meta.url), 'utf8')
const fixture = (name: string): Record<string, any> => JSON.parse(fixtureText(name))

interface MessageRow {
  id: number
  item_id: number
  external_id: string
  parent_external_id: string | null
  direction: 'in' | 'out'
  author_name: string
  author_external_id: string | null
  text: string
  sent_at: number
  edited_at: number | null
  deleted_at: number | null
  kind: string
  thread: string
  status: string
  first_response_seconds: number | null
}

const messagesOf = (t: TestApp): MessageRow[] =>
  rows<MessageRow>(
    t,
    `SELECT m.*, i.kind, i.external_thread_id AS thread, i.status, i.first_response_seconds
    FROM messages m JOIN items i ON i.id = m.item_id WHERE m.platform = 'telegram' ORDER BY m.sent_at, m.id`,
  )

let t: TestApp
let api: FakeApi
let closeAll: () => Promise<void>
let now: number

async function start(clock?: () => number) {
  const made = await createAppWithFakeApi(clock ? { clock } : {})
  t = made.t
  api = made.api
  closeAll = made.close
}

beforeEach(async () => {
  now = Date.parse('2025-11-24T01:20:00Z')
  // Admin lists are remembered per process: each test starts without them.
  groupAdmins.clear()
  await start(() => now)
})
afterEach(() => closeAll())

/**
 * Posts a body to the bot's webhook with the right secret, and waits for the queued processing.
 * Telegram sends an update as it happens, so the (fake) clock is moved on to the update's latest time:
 * a time still ahead of the clock would be taken as a wrong platform clock (see future-timestamps.test.ts).
 */
async function deliver(body: string | Buffer | object, headers: Record<string, string> = SIGNED) {
  const payload = typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body)
  for (const [, date] of payload.toString().matchAll(/"(?:edit_)?date":\s*(\d+)/g)) now = Math.max(now, Number(date) * 1000)
  const res = await postRaw(t, HOOK, payload, headers)
  await t.jobs.idle()
  return res
}

const sendCalls = () => api.callsTo('telegram').filter((c) => c.path.endsWith('/sendMessage'))

async function replyAs(username: string, itemId: number, text: string) {
  const admin = await signIn(t.app, username)
  const res = await t.app.inject({ method: 'POST', url: `/api/items/${itemId}/replies`, headers: admin.headers, payload: { text } })
  return { res, admin }
}

async function itemDetail(username: string, itemId: number) {
  const admin = await signIn(t.app, username)
  return (await t.app.inject({ url: `/api/items/${itemId}`, headers: admin.headers })).json()
}

describe('telegram: real-format updates become messages', () => {
  it('reads the webhook guide example (no chat.type) and the current private-message shape', async () => {
    expect((await deliver(fixtureText('webhook-guide-start.json'))).statusCode).toBe(200)
    expect((await deliver(fixtureText('chatwoot-private.json'))).statusCode).toBe(200)
    const [guide, chatwoot] = messagesOf(t)
    expect(guide).toMatchObject({
      external_id: '1111111:1365',
      thread: '1111111',
      kind: 'dm',
      direction: 'in',
      author_name: 'Test Test Lastname',
      author_external_id: '1111111',
      text: '/start',
      sent_at: 1441645532 * 1000,
    })
    expect(chatwoot).toMatchObject({ external_id: '23:1', thread: '23', kind: 'dm', author_name: 'Sojan Jose', text: 'test', sent_at: 1631132077000 })
    expect(rows(t, "SELECT dedupe_key FROM deliveries WHERE platform = 'telegram' ORDER BY id")).toEqual([
      { dedupe_key: 'telegram:7000000001:10000' },
      { dedupe_key: 'telegram:7000000001:2342342343242' },
    ])
  })

  it('shows a citizen’s DM to the owning OPD’s admin and the supervisor, with the platform’s time', async () => {
    await deliver(fixtureText('private-ngapak.json'))
    for (const user of ['dishub', 'prokompim']) {
      const admin = await signIn(t.app, user)
      const list = (await t.app.inject({ url: '/api/items?platform=telegram', headers: admin.headers })).json()
      expect(list.items).toHaveLength(1)
      expect(list.items[0]).toMatchObject({
        platform: 'telegram',
        kind: 'dm',
        status: 'open',
        citizenName: 'Rénggo Widyaningsih 🌾',
        opd: { code: 'dishub' },
        awaitingSince: 1763946900 * 1000,
        firstMessageAt: 1763946900 * 1000,
      })
      expect(list.items[0].preview).toContain('bolong-bolong kaya kiye')
    }
    // Another OPD's admin does not see it.
    const other = await signIn(t.app, 'dukcapil')
    expect((await t.app.inject({ url: '/api/items?platform=telegram', headers: other.headers })).json().items).toHaveLength(0)
  })

  it('puts a discussion-group comment in its own thread, rooted at the comment, not at the channel post', async () => {
    await deliver(fixtureText('group-comment.json'))
    const [comment] = messagesOf(t)
    expect(comment).toMatchObject({
      external_id: '-1001987654321:77',
      thread: '-1001987654321:77',
      kind: 'comment',
      direction: 'in',
      parent_external_id: '-1001987654321:75',
      author_name: 'Wàhyu Prasetyo',
      author_external_id: '6234567890',
      text: fixture('group-comment.json').message.text,
      sent_at: 1763946900000,
    })
  })

  it('keeps captions, describes media without one in Indonesian, and ignores what no citizen wrote', async () => {
    for (const name of ['private-photo-caption.json', 'private-voice.json', 'private-location.json']) await deliver(fixtureText(name))
    expect(messagesOf(t).map((m) => m.text)).toEqual([
      'Niki foto dalan rusak teng Desa Dukuhwringin, Slawi 📸',
      '[pesan suara]',
      '[lokasi: -6.976401, 109.140112]',
    ])
    // All three are in the same conversation with the citizen.
    expect(new Set(messagesOf(t).map((m) => m.item_id)).size).toBe(1)

    for (const name of ['channel-post.json', 'callback-query.json', 'group-automatic-forward.json', 'group-member-joined.json']) {
      expect((await deliver(fixtureText(name))).statusCode).toBe(200)
    }
    expect(messagesOf(t)).toHaveLength(3)
    expect(countRows(t, 'deliveries', "platform = 'telegram' AND state = 'processed'")).toBe(7)
  })

  it('applies an edit to the known message and keeps the earlier text', async () => {
    await deliver(fixtureText('private-ngapak.json'))
    await deliver(fixtureText('private-ngapak-edited.json'))
    const [msg] = messagesOf(t)
    expect(msg!.text).toContain('Jatinegara (cedhak SD 2)')
    expect(msg!.edited_at).toBe(1763947200000)
    expect(rows(t, 'SELECT previous_text FROM message_revisions')).toEqual([{ previous_text: fixture('private-ngapak.json').message.text }])
    expect(countRows(t, 'messages', "platform = 'telegram'")).toBe(1)
  })

  it('reads Telegram Business chats: the citizen in, the owner out, deletions kept as revisions', async () => {
    await deliver(fixtureText('business-message-citizen.json'))
    await deliver(fixtureText('business-message-owner.json'))
    const [citizen, owner] = messagesOf(t)
    const thread = 'biz:AbCdEfGh-ijk_lmn0123456789:6011223344'
    expect(citizen).toMatchObject({ thread, kind: 'dm', direction: 'in', author_name: 'Siti Nur’aini Hasanah', external_id: `${thread}:312` })
    expect(owner).toMatchObject({ thread, direction: 'out', author_name: 'Dishub Kab. Tegal', parent_external_id: `${thread}:312` })
    // The owner answered natively 70 minutes after the citizen: the clock stopped at the platform's time.
    expect(owner).toMatchObject({ status: 'answered', first_response_seconds: 70 * 60 })

    await deliver(fixtureText('deleted-business-messages.json'))
    expect(messagesOf(t)[0]!.deleted_at).toBe(now)
    expect(rows(t, 'SELECT change, previous_text FROM message_revisions')).toEqual([{ change: 'delete', previous_text: citizen!.text }])
  })
})

describe('telegram: the secret token header', () => {
  it('refuses a missing or wrong secret with 401/403 and stores nothing', async () => {
    const body = fixtureText('private-ngapak.json')
    const before = countRows(t, 'deliveries')
    expect((await deliver(body, {})).statusCode).toBe(401)
    expect((await deliver(body, { [SECRET_HEADER]: 'tebakan-asal' })).statusCode).toBe(403)
    expect((await deliver(body, { [SECRET_HEADER]: `${DEMO_SECRETS.telegram.secretToken} ` })).statusCode).toBe(403)
    expect((await deliver(body, { [SECRET_HEADER]: DEMO_SECRETS.telegram.secretToken.slice(0, -1) })).statusCode).toBe(403)
    expect(countRows(t, 'deliveries')).toBe(before)
    expect(messagesOf(t)).toHaveLength(0)
  })

  it('answers 404 for a bot no active channel has, storing nothing', async () => {
    const before = countRows(t, 'deliveries')
    for (const path of ['/webhooks/telegram/7000000002', '/webhooks/telegram/bukan-bot', '/webhooks/telegram/7000000001:demo']) {
      expect((await postRaw(t, path, fixtureText('private-ngapak.json'), SIGNED)).statusCode).toBe(404)
    }
    expect(countRows(t, 'deliveries')).toBe(before)
  })

  it('answers 404 while the bot’s channel is switched off, so Telegram keeps the updates and retries', async () => {
    const superadmin = await signIn(t.app, 'superadmin')
    const id = channelId(t, 'telegram', BOT)
    const off = await t.app.inject({ method: 'PATCH', url: `/api/admin/channels/${id}`, headers: superadmin.headers, payload: { active: false } })
    expect(off.statusCode).toBe(200)
    expect(off.json().webhookUrl).toMatch(new RegExp(`${HOOK}$`))
    expect((await postRaw(t, HOOK, fixtureText('private-ngapak.json'), SIGNED)).statusCode).toBe(404)
    expect(countRows(t, 'deliveries', "platform = 'telegram'")).toBe(0)
    // Switched back on, Telegram's next retry is stored.
    await t.app.inject({ method: 'PATCH', url: `/api/admin/channels/${id}`, headers: superadmin.headers, payload: { active: true } })
    expect((await deliver(fixtureText('private-ngapak.json'))).statusCode).toBe(200)
    expect(messagesOf(t)).toHaveLength(1)
  })

  it('answers 400 to a signed body that is not an Update, storing nothing', async () => {
    const before = countRows(t, 'deliveries')
    for (const body of [
      '',
      'bukan json',
      '[1,2]',
      '{"message":{}}',
      '{"update_id":"871234501"}',
      '{"update_id":1.5}',
      '{"update_id":-3}',
      '{"update_id":1e300}',
    ]) {
      expect((await deliver(body)).statusCode).toBe(400)
    }
    expect(countRows(t, 'deliveries')).toBe(before)
  })
})

describe('telegram: redeliveries and volume', () => {
  it('stores an update sent three times once, with one message', async () => {
    for (let i = 0; i < 3; i++) expect((await deliver(fixtureText('private-ngapak.json'))).statusCode).toBe(200)
    expect(countRows(t, 'deliveries', "platform = 'telegram'")).toBe(1)
    expect(messagesOf(t)).toHaveLength(1)
    // The same message under another update id (e.g. after a webhook reset) still counts once.
    const again = fixture('private-ngapak.json')
    again.update_id = 871239999
    await deliver(again)
    expect(messagesOf(t)).toHaveLength(1)
  })

  it('turns 50 updates (Telegram does not batch) into 50 messages', async () => {
    const base = fixture('private-ngapak.json')
    await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        postRaw(
          t,
          HOOK,
          JSON.stringify({
            update_id: 900000000 + i,
            message: {
              ...base.message,
              message_id: 100 + i,
              from: { ...base.message.from, id: 5200000000 + i },
              chat: { ...base.message.chat, id: 5200000000 + i },
              text: `Laporan nomer ${i} 🙏`,
            },
          }),
          SIGNED,
        ),
      ),
    )
    await t.jobs.idle()
    expect(messagesOf(t)).toHaveLength(50)
    expect(countRows(t, 'items', "platform = 'telegram'")).toBe(50)
  })
})

describe('telegram: Indonesian names and texts', () => {
  it('stores diacritics, Javanese script and emoji byte for byte, also when Telegram escapes them as \\u', async () => {
    const name = { first_name: 'Dwi Ayu Ñañá', last_name: 'Kusumawardhani ꦱꦸꦒꦼꦁ 👩🏽‍🌾' }
    const text =
      'Sugeng enjing Pak 🙏🏻 Kulo badhe tanglet: SIM C kula ilang, ngurus maning nang Polres Slawi apa Samsat? Sing cedhak Adiwerna 🇮🇩 ‘nggih’ — matur sembah nuwun. Café e\u0301 ꦲꦏ꧀ꦱꦫꦗꦮ 👨‍👩‍👧‍👦'
    const update = {
      update_id: 871300001,
      message: {
        message_id: 9001,
        from: { id: 5300000001, is_bot: false, ...name },
        chat: { id: 5300000001, ...name, type: 'private' },
        date: 1763946900,
        text,
      },
    }
    expect((await deliver(JSON.stringify(update))).statusCode).toBe(200)
    // Telegram's own JSON writes non-ASCII as \uXXXX escapes: the same text must come out.
    const escaped = JSON.stringify({ ...update, update_id: 871300002, message: { ...update.message, message_id: 9002 } }).replace(
      /[\u007f-\uffff]/g,
      (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
    )
    expect(escaped).not.toMatch(/[^\x00-\x7f]/)
    expect((await deliver(escaped)).statusCode).toBe(200)
    const stored = messagesOf(t)
    expect(stored).toHaveLength(2)
    for (const m of stored) {
      expect(Buffer.from(m.text, 'utf8').equals(Buffer.from(text, 'utf8'))).toBe(true)
      expect(Buffer.from(m.author_name, 'utf8').equals(Buffer.from(`${name.first_name} ${name.last_name}`, 'utf8'))).toBe(true)
    }
    const detail = await itemDetail('dishub', stored[0]!.item_id)
    expect(detail.messages[0].text).toBe(text)
    expect(detail.item.citizenName).toBe(`${name.first_name} ${name.last_name}`)
  })

  it('keeps at most 4000 characters of a 4096-character message, ending in “…”, without splitting an emoji', async () => {
    const text = `${'a'.repeat(3998)}😭${'b'.repeat(96)}`
    await deliver({
      update_id: 871300010,
      message: {
        message_id: 9010,
        from: { id: 5300000002, is_bot: false, first_name: 'Panjang' },
        chat: { id: 5300000002, type: 'private' },
        date: 1763946900,
        text,
      },
    })
    const [m] = messagesOf(t)
    expect(m!.text).toBe(`${'a'.repeat(3998)}…`)
  })
})

describe('telegram: the response clock', () => {
  it('stops when an admin answers natively in the discussion group (as the group’s anonymous admin)', async () => {
    await deliver(fixtureText('group-comment.json'))
    await deliver(fixtureText('group-reply-anonymous-admin.json'))
    const [comment, answer] = messagesOf(t)
    expect(answer).toMatchObject({
      direction: 'out',
      thread: comment!.thread,
      parent_external_id: comment!.external_id,
      author_name: 'Diskusi Dishub Kab. Tegal',
    })
    expect(answer).toMatchObject({ status: 'answered', first_response_seconds: 30 * 60 })
  })

  it('counts our own reply once: stored from sendMessage’s answer, since Telegram does not echo a bot’s messages', async () => {
    await deliver(fixtureText('private-ngapak.json'))
    const itemId = messagesOf(t)[0]!.item_id
    now = Date.parse('2025-11-24T02:15:00Z')
    const { res } = await replyAs('dishub', itemId, 'Nggih Lur, laporan sampun kami terusaken dhateng DPUPR. Matur nuwun 🙏')
    expect(res.statusCode).toBe(201)
    await t.jobs.idle()
    const [call] = sendCalls()
    expect(call!.path).toBe(`/bot${DEMO_SECRETS.telegram.botToken}/sendMessage`)
    expect(call!.body).toEqual({
      chat_id: 5123456789,
      text: 'Nggih Lur, laporan sampun kami terusaken dhateng DPUPR. Matur nuwun 🙏',
      reply_parameters: { message_id: 4821, allow_sending_without_reply: true },
    })
    const out = messagesOf(t).filter((m) => m.direction === 'out')
    expect(out).toHaveLength(1)
    expect(out[0]!.external_id).toMatch(/^5123456789:\d+$/)
    expect(rows(t, 'SELECT external_id FROM replies')).toEqual([{ external_id: out[0]!.external_id }])
    expect(out[0]).toMatchObject({ status: 'answered', first_response_seconds: Date.parse('2025-11-24T02:15:00Z') / 1000 - 1763946900 })
  })

  it('replies in a Business chat as the business account, and its echo there counts once', async () => {
    await deliver(fixtureText('business-message-citizen.json'))
    const itemId = messagesOf(t)[0]!.item_id
    await replyAs('dishub', itemId, 'Wa’alaikumsalam. Syaratipun KTP, STNK lan buku KIR 📄')
    await t.jobs.idle()
    expect(sendCalls()[0]!.body).toMatchObject({
      chat_id: 6011223344,
      business_connection_id: 'AbCdEfGh-ijk_lmn0123456789',
      reply_parameters: { message_id: 312 },
    })
    const sent = messagesOf(t).filter((m) => m.direction === 'out')
    expect(sent).toHaveLength(1)
    // The business account's chats show the bot's message too; were it delivered, it is the same message.
    const echo = fixture('business-message-owner.json')
    echo.update_id = 871234599
    echo.business_message.message_id = Number(sent[0]!.external_id.split(':').pop())
    echo.business_message.sender_business_bot = { id: 7000000001, is_bot: true, first_name: 'Dishub Tegal', username: 'DishubTegalBot' }
    await deliver(echo)
    expect(messagesOf(t).filter((m) => m.direction === 'out')).toHaveLength(1)
  })
})

describe('telegram: staff answering in a group from their personal accounts', () => {
  const demo = DEMO_CHANNELS.find((c) => c.platform === 'telegram')!
  /** The demo bot's discussion group, whose admins the fake Bot API knows. */
  const GROUP = simDiscussionGroupId({ accountId: demo.accountId })
  /** A real-format group update moved into the demo group. */
  const inDemoGroup = (name: string): Record<string, any> => JSON.parse(fixtureText(name).replaceAll('-1001987654321', String(GROUP)))
  /** The anonymous admin's answer to the citizen's comment, written instead by `from` under their own account. */
  function answerFrom(from: object, updateId = 871234511, messageId = 79): Record<string, any> {
    const update = inDemoGroup('group-reply-anonymous-admin.json')
    delete update.message.sender_chat
    return { ...update, update_id: updateId, message: { ...update.message, message_id: messageId, from } }
  }
  const adminCalls = () => api.callsTo('telegram').filter((c) => c.path.endsWith('/getChatAdministrators'))

  it('counts a group admin’s answer from a personal account as the government’s: the clock stops', async () => {
    await deliver(inDemoGroup('group-comment.json'))
    await deliver(answerFrom(SIM_GROUP_STAFF))
    const [comment, answer] = messagesOf(t)
    expect(comment).toMatchObject({ direction: 'in', thread: `${GROUP}:77`, author_external_id: '6234567890' })
    expect(answer).toMatchObject({
      direction: 'out',
      thread: comment!.thread,
      parent_external_id: comment!.external_id,
      author_name: 'Rina Kartikasari',
      author_external_id: String(SIM_GROUP_STAFF.id),
      status: 'answered',
      first_response_seconds: 30 * 60,
    })
    const detail = await itemDetail('dishub', comment!.item_id)
    expect(detail.item).toMatchObject({ status: 'answered', awaitingSince: null })
    // The admin list was asked for once, as the Bot API takes it, and the token stays in the path only.
    expect(adminCalls()).toHaveLength(1)
    expect(adminCalls()[0]).toMatchObject({ method: 'POST', path: `/bot${DEMO_SECRETS.telegram.botToken}/getChatAdministrators`, body: { chat_id: GROUP } })
    // The group's owner is staff too.
    await deliver(answerFrom(SIM_GROUP_OWNER, 871234512, 80))
    expect(messagesOf(t).at(-1)).toMatchObject({ direction: 'out', author_external_id: String(SIM_GROUP_OWNER.id) })
  })

  it('keeps a member who is not an admin a citizen: the item still awaits an answer', async () => {
    await deliver(inDemoGroup('group-comment.json'))
    await deliver(answerFrom({ id: 6300000001, is_bot: false, first_name: 'Tarno', username: 'tarno_adiwerna', language_code: 'id' }))
    const [comment, reply] = messagesOf(t)
    expect(reply).toMatchObject({ direction: 'in', thread: comment!.thread, author_name: 'Tarno', status: 'open', first_response_seconds: null })
    expect((await itemDetail('dishub', comment!.item_id)).item.awaitingSince).toBe(1763946900 * 1000)
  })

  it('never looks up admins for a private chat or a Telegram Business chat', async () => {
    for (const name of ['private-ngapak.json', 'business-message-citizen.json', 'business-message-owner.json']) await deliver(fixtureText(name))
    expect(messagesOf(t)).toHaveLength(3)
    expect(adminCalls()).toHaveLength(0)
  })

  it('keeps the messages as citizens’ when the Bot API fails, and processes the deliveries', async () => {
    api.failNext('telegram', 1, 502, { ok: false, error_code: 502, description: 'Bad Gateway' })
    await deliver(inDemoGroup('group-comment.json'))
    await deliver(answerFrom(SIM_GROUP_STAFF))
    expect(messagesOf(t).map((m) => [m.direction, m.status])).toEqual([
      ['in', 'open'],
      ['in', 'open'],
    ])
    expect(rows(t, "SELECT state, error FROM deliveries WHERE platform = 'telegram'")).toEqual([
      { state: 'processed', error: null },
      { state: 'processed', error: null },
    ])
    // The failure is remembered briefly, so the outage is not asked about on every message.
    expect(adminCalls()).toHaveLength(1)
  })

  it('keeps citizens’ messages in a group the bot cannot list (Telegram’s 400)', async () => {
    // The fake Bot API knows the demo group only, as Telegram answers for a chat the bot is not in.
    await deliver(fixtureText('group-comment.json'))
    expect(adminCalls()).toHaveLength(1)
    expect(messagesOf(t)[0]).toMatchObject({ direction: 'in', status: 'open' })
    expect(countRows(t, 'deliveries', "platform = 'telegram' AND state = 'processed'")).toBe(1)
  })

  it('asks once for several messages of one group', async () => {
    await deliver(inDemoGroup('group-comment.json'))
    const base = inDemoGroup('group-comment.json')
    for (let i = 1; i <= 3; i++) {
      await deliver({
        ...base,
        update_id: base.update_id + i,
        message: { ...base.message, message_id: 77 + i * 10, from: { ...base.message.from, id: 6234567890 + i }, date: base.message.date + i * 60 },
      })
    }
    await deliver(answerFrom(SIM_GROUP_STAFF, 871234600, 120))
    expect(messagesOf(t).map((m) => m.direction)).toEqual(['in', 'in', 'in', 'in', 'out'])
    expect(adminCalls()).toHaveLength(1)
  })

  it('stores an answer that arrives while the comment’s admin lookup is under way after the comment', async () => {
    // Posted back to back: the answer's job must not store it before the comment's job, or it would find no thread.
    // The anonymous admin's answer needs no lookup of its own, so nothing else would hold it back.
    const anonymous = inDemoGroup('group-reply-anonymous-admin.json')
    const updates = [inDemoGroup('group-comment.json'), anonymous, answerFrom(SIM_GROUP_STAFF, 871234512, 80)]
    const posted = []
    for (const update of updates) {
      now = Math.max(now, update.message.date * 1000)
      posted.push((await postRaw(t, HOOK, JSON.stringify(update), SIGNED)).statusCode)
    }
    expect(posted).toEqual([200, 200, 200])
    await t.jobs.idle()
    expect(messagesOf(t).map((m) => [m.direction, m.external_id])).toEqual([
      ['in', `${GROUP}:77`],
      ['out', `${GROUP}:79`],
      ['out', `${GROUP}:80`],
    ])
    expect(messagesOf(t)[0]).toMatchObject({ status: 'answered', first_response_seconds: 30 * 60 })
  })
})

describe('telegram: sending through the fake Bot API', () => {
  async function dmItem() {
    await deliver(fixtureText('private-ngapak.json'))
    return messagesOf(t)[0]!.item_id
  }

  it('retries a 5xx and a 429, then succeeds', async () => {
    const itemId = await dmItem()
    api.failNext('telegram', 1, 502, { ok: false, error_code: 502, description: 'Bad Gateway' })
    await replyAs('dishub', itemId, 'Mohon ditunggu nggih.')
    await t.jobs.idle()
    expect(sendCalls()).toHaveLength(2)
    const detail = await itemDetail('dishub', itemId)
    expect(detail.replies[0]).toMatchObject({ state: 'sent', error: null })

    api.failNext('telegram', 1, 429, { ok: false, error_code: 429, description: 'Too Many Requests: retry after 1', parameters: { retry_after: 1 } })
    await replyAs('dishub', itemId, 'Sampun kami tindak lanjuti.')
    await t.jobs.idle()
    expect(sendCalls()).toHaveLength(4)
    expect((await itemDetail('dishub', itemId)).replies[1]).toMatchObject({ state: 'sent' })
    expect(messagesOf(t).filter((m) => m.direction === 'out')).toHaveLength(2)
  })

  it('fails a 400 at once and shows Telegram’s reason on the item', async () => {
    const itemId = await dmItem()
    api.failNext('telegram', 1, 400, { ok: false, error_code: 400, description: 'Bad Request: chat not found' })
    await replyAs('dishub', itemId, 'Halo')
    await t.jobs.idle()
    expect(sendCalls()).toHaveLength(1)
    const detail = await itemDetail('dishub', itemId)
    expect(detail.replies[0].state).toBe('failed')
    expect(detail.replies[0].error).toContain('Bad Request: chat not found')
    expect(detail.item.status).toBe('open')
    expect(detail.replies[0].error).not.toContain(DEMO_SECRETS.telegram.botToken)
  })

  it('fails at once when the citizen blocked the bot (403)', async () => {
    const itemId = await dmItem()
    api.failNext('telegram', 1, 403, { ok: false, error_code: 403, description: 'Forbidden: bot was blocked by the user' })
    await replyAs('dishub', itemId, 'Halo')
    await t.jobs.idle()
    expect(sendCalls()).toHaveLength(1)
    expect((await itemDetail('dishub', itemId)).replies[0]).toMatchObject({
      state: 'failed',
      error: expect.stringContaining('Forbidden: bot was blocked by the user'),
    })
  })

  it('gives up after three 5xx and shows the last error', async () => {
    const itemId = await dmItem()
    api.failNext('telegram', 3, 500, { ok: false, error_code: 500, description: 'Internal Server Error' })
    await replyAs('dishub', itemId, 'Halo')
    await t.jobs.idle()
    expect(sendCalls()).toHaveLength(3)
    expect((await itemDetail('dishub', itemId)).replies[0]).toMatchObject({ state: 'failed', error: expect.stringContaining('Internal Server Error') })
  })

  it('has no messaging window: a bot may answer a citizen weeks later', async () => {
    const itemId = await dmItem()
    now += 30 * 24 * 3_600_000
    const detail = await itemDetail('dishub', itemId)
    expect(detail.replyWindowClosesAt).toBeNull()
    const { res } = await replyAs('dishub', itemId, 'Mohon maaf baru kami balas.')
    expect(res.statusCode).toBe(201)
    await t.jobs.idle()
    expect((await itemDetail('dishub', itemId)).replies[0].state).toBe('sent')
  })

  it('answers a reply to a group comment in the group, quoting the comment', async () => {
    await deliver(fixtureText('group-comment.json'))
    await replyAs('dishub', messagesOf(t)[0]!.item_id, 'Siap, segera kami cek 🚦')
    await t.jobs.idle()
    expect(sendCalls()[0]!.body).toMatchObject({ chat_id: -1001987654321, reply_parameters: { message_id: 77 } })
    const out = messagesOf(t).find((m) => m.direction === 'out')!
    expect(out.thread).toBe('-1001987654321:77')
    expect(out.external_id).toMatch(/^-1001987654321:\d+$/)
  })
})

describe('telegram: testConnection and the fake Bot API', () => {
  const demo = DEMO_CHANNELS.find((c) => c.platform === 'telegram')!
  const channel = (credentials: Record<string, string>): OpenChannel => ({
    id: 1,
    platform: 'telegram',
    accountId: demo.accountId,
    name: demo.name,
    credentials,
    settings: {},
  })

  it('names the bot when the superadmin tests the channel', async () => {
    const superadmin = await signIn(t.app, 'superadmin')
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/admin/channels/${channelId(t, 'telegram', BOT)}/test`,
      headers: superadmin.headers,
      payload: {},
    })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({ ok: true, detail: expect.stringContaining('@DishubTegalBot') })
    expect(res.body).not.toContain(DEMO_SECRETS.telegram.botToken)
  })

  it('names the bot from getMe', async () => {
    const said = await testTelegramConnection(channel(DEMO_SECRETS.telegram), `${api.url}/telegram`, fetch)
    expect(said).toContain('@DishubTegalBot')
    expect(said).toContain('7000000001')
    expect(api.callsTo('telegram').at(-1)).toMatchObject({ method: 'GET', path: `/bot${DEMO_SECRETS.telegram.botToken}/getMe` })
  })

  it('reports a wrong token, and a token of another bot', async () => {
    await expect(testTelegramConnection(channel({ botToken: '7000000001:salah' }), `${api.url}/telegram`, fetch)).rejects.toThrow(/401: Unauthorized/)
    await expect(testTelegramConnection(channel({ botToken: '7000000009:demo-telegram-bot-token' }), `${api.url}/telegram`, fetch)).rejects.toThrow(
      /belongs to bot 7000000009/,
    )
    await expect(testTelegramConnection(channel({}), `${api.url}/telegram`, fetch)).rejects.toThrow(/no valid bot token/)
  })

  it('lists the demo group’s administrators in the Bot API’s shape, and refuses other chats as Telegram does', () => {
    const call = (query: Record<string, string>, body: unknown = null) =>
      telegramApi({
        platform: 'telegram',
        method: body ? 'POST' : 'GET',
        path: `/bot${DEMO_SECRETS.telegram.botToken}/getChatAdministrators`,
        query,
        headers: {},
        body,
        at: 0,
      })
    const group = simDiscussionGroupId(demo)
    for (const answer of [call({ chat_id: String(group) }), call({}, { chat_id: group })]) {
      expect(answer.status).toBe(200)
      const { ok, result } = answer.body as { ok: boolean; result: Record<string, any>[] }
      expect(ok).toBe(true)
      expect(result).toEqual([
        expect.objectContaining({ status: 'creator', user: SIM_GROUP_OWNER, is_anonymous: false }),
        expect.objectContaining({ status: 'administrator', user: SIM_GROUP_STAFF, can_be_edited: false, can_manage_chat: true, custom_title: 'Humas Dishub' }),
        expect.objectContaining({ status: 'administrator', user: expect.objectContaining({ id: 7000000001, is_bot: true }) }),
      ])
    }
    expect(call({ chat_id: '5123456789' }).body).toEqual({
      ok: false,
      error_code: 400,
      description: 'Bad Request: there are no administrators in the private chat',
    })
    expect(call({ chat_id: '-1001987654321' }).body).toMatchObject({ error_code: 400, description: 'Bad Request: chat not found' })
    expect(call({}).body).toMatchObject({ error_code: 400, description: 'Bad Request: chat_id is empty' })
  })

  it('answers sendMessage errors in Telegram’s shape', () => {
    const call = (body: unknown, path = `/bot${DEMO_SECRETS.telegram.botToken}/sendMessage`) =>
      telegramApi({ platform: 'telegram', method: 'POST', path, query: {}, headers: {}, body, at: 0 })
    expect(call({ chat_id: 1, text: '' })).toEqual({ status: 400, body: { ok: false, error_code: 400, description: 'Bad Request: message text is empty' } })
    expect(call({ chat_id: 1, text: 'x'.repeat(4097) }).body).toMatchObject({ error_code: 400, description: 'Bad Request: message is too long' })
    expect(call({ text: 'Halo' }).body).toMatchObject({ error_code: 400, description: 'Bad Request: chat_id is empty' })
    expect(call({ chat_id: 1, text: 'Halo' }, '/botsalah:token/sendMessage').body).toMatchObject({ ok: false, error_code: 401, description: 'Unauthorized' })
    expect(call({ chat_id: 1, text: 'Halo' }, `/bot${DEMO_SECRETS.telegram.botToken}/sendTeleport`).body).toMatchObject({
      error_code: 404,
      description: 'Not Found',
    })
    const okAnswer = call({ chat_id: '-1001987654321', text: 'Halo', reply_parameters: { message_id: 77 } })
    expect(okAnswer.status).toBe(200)
    expect(okAnswer.body).toMatchObject({
      ok: true,
      result: { chat: { id: -1001987654321, type: 'supergroup' }, from: { id: 7000000001, is_bot: true }, text: 'Halo', reply_to_message: { message_id: 77 } },
    })
  })
})

describe('telegram: the simulator’s maker', () => {
  const demo = DEMO_CHANNELS.find((c) => c.platform === 'telegram')!
  const sim: SimChannel = { platform: 'telegram', accountId: demo.accountId, name: demo.name, credentials: demo.credentials! }
  const at = Date.parse('2025-11-24T01:15:00Z')

  it('builds a DM the app accepts and stores', async () => {
    const made = telegramMaker.make(sim, [
      {
        kind: 'dm',
        text: 'Pak, jadwal uji KIR minggu iki dina apa? 🚚',
        authorName: 'Bagus Setiawan',
        authorId: '5400000001',
        messageId: '311',
        threadId: '5400000001',
        at,
      },
    ])
    expect(made.path).toBe(HOOK)
    const res = await t.app.inject({ method: 'POST', url: made.path, headers: made.headers, payload: made.body })
    expect(res.statusCode).toBe(200)
    await t.jobs.idle()
    expect(messagesOf(t)).toEqual([
      expect.objectContaining({
        kind: 'dm',
        thread: '5400000001',
        author_name: 'Bagus Setiawan',
        text: 'Pak, jadwal uji KIR minggu iki dina apa? 🚚',
        sent_at: at,
        direction: 'in',
      }),
    ])
  })

  it('builds group comments and a native admin answer that stops the clock', async () => {
    const group = simDiscussionGroupId(sim)
    const comment = telegramMaker.make(sim, [
      {
        kind: 'comment',
        text: 'Min, parkir liar nang alun-alun Slawi kapan ditertibkan?',
        authorName: 'Eko',
        authorId: '5400000002',
        messageId: '501',
        threadId: '420',
        at,
      },
    ])
    const answer = telegramMaker.make(sim, [
      {
        kind: 'comment',
        text: 'Sudah kami koordinasikan dengan Satpol PP 🙏',
        authorName: 'Dishub',
        authorId: '0',
        messageId: '502',
        threadId: '420',
        parentId: '501',
        fromAccount: true,
        at: at + 600_000,
      },
    ])
    for (const made of [comment, answer])
      expect((await t.app.inject({ method: 'POST', url: made.path, headers: made.headers, payload: made.body })).statusCode).toBe(200)
    await t.jobs.idle()
    const [c, a] = messagesOf(t)
    expect(c).toMatchObject({ thread: `${group}:501`, kind: 'comment', direction: 'in', author_name: 'Eko' })
    expect(a).toMatchObject({ thread: `${group}:501`, direction: 'out', status: 'answered', first_response_seconds: 600 })
  })

  it('now and then answers a citizen’s group comment as a staff member’s personal account', async () => {
    const group = simDiscussionGroupId(sim)
    const question = {
      kind: 'comment' as const,
      text: 'Min, lampu PJU Jl. Raya Banjaran mati 3 hari 😡',
      authorName: 'Slamet Riyadi',
      authorId: '5400000003',
      messageId: '601',
      threadId: '430',
      at,
    }
    const turn = { ...question, text: 'Min, kapan diperbaiki?', authorName: 'Wulan Sari', authorId: '5400000004', messageId: '604', at: at + 900_000 }
    expect([isSimStaffTurn(question), isSimStaffTurn(turn)]).toEqual([false, true])
    const made = [telegramMaker.make(sim, [question]), telegramMaker.make(sim, [turn])]
    const staff = JSON.parse(made[1]!.body).message
    expect(staff).toMatchObject({
      message_id: 604,
      from: SIM_GROUP_STAFF,
      chat: { id: group, type: 'supergroup' },
      reply_to_message: { message_id: 601, from: { id: 5400000003 } },
    })
    expect(staff.sender_chat).toBeUndefined()
    // Both arrive by the time of the second (a time ahead of the clock would be taken as a wrong platform clock).
    now = at + 900_000
    for (const m of made) expect((await t.app.inject({ method: 'POST', url: m.path, headers: m.headers, payload: m.body })).statusCode).toBe(200)
    await t.jobs.idle()
    const [c, a] = messagesOf(t)
    expect(c).toMatchObject({ thread: `${group}:601`, direction: 'in', author_name: 'Slamet Riyadi' })
    expect(a).toMatchObject({ thread: `${group}:601`, direction: 'out', author_name: 'Rina Kartikasari', status: 'answered', first_response_seconds: 900 })
    // With no comment waiting in its group (another bot's), a staff turn stays the citizen's comment.
    const alone = JSON.parse(telegramMaker.make({ ...sim, accountId: '7000000002' }, [{ ...turn, messageId: '608' }]).body).message
    expect(alone).toMatchObject({ from: { id: 5400000004 }, text: 'Min, kapan diperbaiki?' })
  })

  it('refuses what Telegram cannot carry', () => {
    const post = { kind: 'dm' as const, text: 'x', authorName: 'A', authorId: '1', messageId: '1', threadId: '1', at }
    expect(() => telegramMaker.make(sim, [post, post])).toThrow(/one update/)
    expect(() => telegramMaker.make(sim, [{ ...post, fromAccount: true }])).toThrow(/bot chat/)
  })
})

// ---- fuzzing ----

const FIXTURES = [
  'webhook-guide-start.json',
  'chatwoot-private.json',
  'private-ngapak.json',
  'private-ngapak-edited.json',
  'group-comment.json',
  'group-reply-anonymous-admin.json',
  'business-message-citizen.json',
  'business-message-owner.json',
  'deleted-business-messages.json',
  'private-photo-caption.json',
  'private-voice.json',
  'private-location.json',
  'channel-post.json',
  'callback-query.json',
]

const delivery = (rawBody: Buffer): DeliveryInput & { dedupeKey: string } => ({
  id: 1,
  platform: 'telegram',
  channelId: 1,
  rawBody,
  receivedAt: 1763950000000,
  trackingCode: null,
  dedupeKey: `telegram:${BOT}:1`,
})

const ctx = { opdIdByCode: () => undefined, triageOpdId: () => 1 }

/** Every path into a JSON value, so a mutation can hit any field at any depth. */
function paths(v: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (typeof v !== 'object' || v === null) return [prefix]
  const keys: (string | number)[] = Array.isArray(v) ? v.map((_, i) => i) : Object.keys(v)
  return [prefix, ...keys.flatMap((k) => paths((v as Record<string | number, unknown>)[k], [...prefix, k]))]
}

type Mutation = (value: unknown) => unknown
const HUGE = 'ꦱ😭a'.repeat(5_000)
const mutationArb: fc.Arbitrary<{ kind: string; f: Mutation }> = fc.oneof(
  fc.constant({ kind: 'drop', f: () => undefined }),
  fc.anything().map((x) => ({ kind: 'replace', f: () => x })),
  fc.constant({ kind: 'huge string', f: () => HUGE }),
  fc.constant({ kind: 'as string', f: (v: unknown) => JSON.stringify(v) ?? 'undefined' }),
  fc.constant({ kind: 'nest in array', f: (v: unknown) => [v] }),
  fc.constant({ kind: 'nest in object', f: (v: unknown) => ({ value: v }) }),
  fc.constantFrom(2 ** 53 + 1, -1, 0, 1e21, Number.MAX_VALUE, 0.5, NaN).map((n) => ({ kind: 'odd number', f: () => n })),
)

function mutate(value: unknown, path: (string | number)[], f: Mutation): unknown {
  if (path.length === 0) return f(value)
  // An earlier mutation may have turned this part into something else: the path is gone.
  if (typeof value !== 'object' || value === null) return value
  const [head, ...rest] = path
  const copy: any = Array.isArray(value) && typeof head === 'number' ? [...value] : { ...value }
  const next = mutate(copy[head!], rest, f)
  if (next === undefined) delete copy[head!]
  else copy[head!] = next
  return copy
}

const mutatedFixtureArb = fc.constantFrom(...FIXTURES).chain((name) => {
  const json = fixture(name)
  const all = paths(json)
  return fc.tuple(fc.array(fc.tuple(fc.constantFrom(...all), mutationArb), { minLength: 1, maxLength: 4 })).map(([muts]) => {
    let v: unknown = json
    for (const [path, m] of muts) v = mutate(v, path, m.f)
    return JSON.stringify(v) ?? 'null'
  })
})

/** Normalizes and checks the outcome: well-formed events, or a plain Error with a reason. */
function normalizeSafely(raw: Buffer): NormalizedEvent[] | Error {
  try {
    const events = normalizeTelegram(delivery(raw), ctx)
    for (const e of events) {
      expect(typeof e.externalId).toBe('string')
      expect(typeof e.externalThreadId).toBe('string')
      expect(e.text.length).toBeLessThanOrEqual(4000)
      expect(e.authorName.length).toBeLessThanOrEqual(120)
      expect(Number.isSafeInteger(e.sentAt)).toBe(true)
      expect(['dm', 'comment']).toContain(e.kind)
    }
    return events
  } catch (err) {
    if ((err as { constructor?: unknown } | null | undefined)?.constructor !== Error) throw err
    expect((err as Error).message).toMatch(/^telegram /)
    return err as Error
  }
}

describe('telegram: hostile deliveries', () => {
  it('normalize lets nothing but a plain Error escape, for random bytes, random JSON and mutated real updates', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => void normalizeSafely(Buffer.from(bytes))),
      { numRuns: 300 },
    )
    fc.assert(
      fc.property(fc.jsonValue(), (v) => void normalizeSafely(Buffer.from(JSON.stringify(v)))),
      { numRuns: 300 },
    )
    fc.assert(
      fc.property(
        fc.constantFrom('message', 'edited_message', 'business_message', 'edited_business_message', 'deleted_business_messages', 'channel_post'),
        fc.anything(),
        (key, v) => void normalizeSafely(Buffer.from(JSON.stringify({ update_id: 1, [key]: v }))),
      ),
      { numRuns: 300 },
    )
    fc.assert(
      fc.property(mutatedFixtureArb, (raw) => void normalizeSafely(Buffer.from(raw))),
      { numRuns: 1000 },
    )
  })

  it('reads prototype-looking keys as plain data', () => {
    const raw = '{"update_id":1,"message":{"__proto__":{"text":"disusupi"},"message_id":1,"date":1763946900,"chat":{"id":5,"type":"private"}}}'
    expect(normalizeSafely(Buffer.from(raw))).toEqual([])
    expect(({} as Record<string, unknown>).text).toBeUndefined()
  })

  it('through the job: every stored delivery ends processed or failed with a reason, and the app keeps serving', async () => {
    const samples = fc.sample(mutatedFixtureArb, { numRuns: 60, seed: 20251124 })
    let updateId = 990000000
    const expected = new Map<number, 'processed' | 'failed'>()
    for (const raw of samples) {
      // Keep a valid update_id (or put one in) so the receiver stores it and the job has to read it.
      let body: unknown
      try {
        body = JSON.parse(raw)
      } catch {
        continue
      }
      if (typeof body !== 'object' || body === null || Array.isArray(body)) body = { message: body }
      const id = updateId++
      const bytes = Buffer.from(JSON.stringify({ ...(body as object), update_id: id }))
      const res = await postRaw(t, HOOK, bytes, SIGNED)
      if (bytes.length > t.config.webhookBodyLimitBytes) {
        expect(res.statusCode).toBe(413)
        continue
      }
      expect(res.statusCode).toBe(200)
      expected.set(id, normalizeSafely(bytes) instanceof Error ? 'failed' : 'processed')
    }
    await t.jobs.idle()
    const stored = rows<{ dedupe_key: string; state: string; error: string | null }>(
      t,
      "SELECT dedupe_key, state, error FROM deliveries WHERE platform = 'telegram'",
    )
    expect(stored).toHaveLength(expected.size)
    expect(stored.some((d) => d.state === 'failed')).toBe(true)
    for (const d of stored) {
      expect(d.state).toBe(expected.get(Number(d.dedupe_key.split(':')[2])))
      if (d.state === 'failed') expect(d.error).toMatch(/^telegram /)
    }
    expect((await t.app.inject({ url: '/healthz' })).statusCode).toBe(200)
    // A good update still goes through afterwards.
    await deliver(fixtureText('private-ngapak.json'))
    expect(messagesOf(t).some((m) => m.external_id === '5123456789:4821')).toBe(true)
    expect(channelId(t, 'telegram')).toBeGreaterThan(0)
  })
})

describe('telegram: who wrote it, in groups', () => {
  const group = fixture('group-comment.json').message
  const post = group.reply_to_message
  const norm = (message: object) => normalizeTelegram(delivery(Buffer.from(JSON.stringify({ update_id: 5, message }))), ctx)

  it('counts the linked channel commenting under its own post as the government, a citizen’s own channel as a citizen', () => {
    const asChannel = { ...group, from: { id: 136817688, is_bot: true, first_name: 'Channel', username: 'Channel_Bot' }, sender_chat: post.sender_chat }
    expect(norm(asChannel)[0]).toMatchObject({ direction: 'out', authorName: 'Dishub Kabupaten Tegal', authorExternalId: '-1001555000111' })
    const citizenChannel = { ...asChannel, sender_chat: { id: -1001777000222, title: 'Info Slawi Raya', type: 'channel' } }
    expect(norm(citizenChannel)[0]).toMatchObject({ direction: 'in', authorName: 'Info Slawi Raya' })
  })

  it('counts a message from the bot itself as the government, and names the bot’s account', () => {
    const fromBot = { ...group, from: { id: 7000000001, is_bot: true, first_name: 'Dishub Tegal', username: 'DishubTegalBot' } }
    expect(norm(fromBot)[0]).toMatchObject({ direction: 'out', accountId: BOT })
    expect(norm(group)[0]).toMatchObject({ direction: 'in', accountId: BOT })
  })

  it('hangs a reply to a comment from that comment, and a forum topic message from itself', () => {
    const reply = { ...group, message_id: 90, reply_to_message: { message_id: 77, from: group.from, chat: group.chat, date: group.date, text: 'x' } }
    expect(norm(reply)[0]).toMatchObject({ externalThreadId: '-1001987654321:77', parentExternalId: '-1001987654321:77' })
    const topic = {
      ...group,
      message_id: 91,
      is_topic_message: true,
      message_thread_id: 3,
      reply_to_message: { message_id: 3, chat: group.chat, date: group.date, forum_topic_created: { name: 'Pengaduan', icon_color: 7322096 } },
    }
    expect(norm(topic)[0]).toMatchObject({ externalThreadId: '-1001987654321:91' })
  })
})

describe('telegram: the admin list cache and the delivery order', () => {
  it('remembers a list for minutes and a failure briefly, shares a lookup under way, and keeps a bounded number of chats', async () => {
    let clock = 0
    const cache = chatAdminCache({ now: () => clock, freshMs: 300_000, failedMs: 30_000, maxChats: 2 })
    let loads = 0
    const admins = (ids: string[]) => async () => {
      loads++
      return new Set(ids)
    }
    const [a, b] = await Promise.all([cache.get('g1', admins(['1'])), cache.get('g1', admins(['2']))])
    expect([[...a], [...b], loads]).toEqual([['1'], ['1'], 1])
    clock = 299_999
    await cache.get('g1', admins(['3']))
    expect(loads).toBe(1)
    clock = 300_000
    expect([...(await cache.get('g1', admins(['4'])))]).toEqual(['4'])
    expect(loads).toBe(2)

    const failing = async () => {
      loads++
      throw new Error('Telegram getChatAdministrators 502: Bad Gateway')
    }
    await expect(cache.get('g2', failing)).rejects.toThrow(/502/)
    clock += 29_999
    await expect(cache.get('g2', admins(['5']))).rejects.toThrow(/502/)
    expect(loads).toBe(3)
    clock += 1
    expect([...(await cache.get('g2', admins(['5'])))]).toEqual(['5'])
    expect(loads).toBe(4)

    // A third chat pushes out the least recently used one (g1), not the one just read (g2).
    await cache.get('g2', admins(['x']))
    await cache.get('g3', admins(['6']))
    await cache.get('g2', admins(['x']))
    expect(loads).toBe(5)
    await cache.get('g1', admins(['7']))
    expect(loads).toBe(6)
  })
})
