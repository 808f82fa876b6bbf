// A platform time in the future (a wrong phone clock, a broken field) must not start a response
// clock in the future: the clock runs from when the delivery was received, and the message still
// shows the platform's own time. Real Telegram and WhatsApp deliveries through their webhooks, real
// SQLite, replies sent to the local fake of each platform's API, a fake clock.
import { readFileSync } from 'node:fs'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { signMeta } from '../../server/src/connectors/meta/verify.ts'
import { signIn, type TestApp } from '../helpers/app.ts'
import { createAppWithFakeApi, DEMO_SECRETS, postRaw, rows } from '../helpers/webhooks.ts'

const MIN = 60_000
const HOUR = 60 * MIN
const DAY = 24 * HOUR
// Tuesday 5 May 2026, 09:00 WIB: a working day, two working hours before the lunch break.
const RECEIVED = Date.parse('2026-05-05T02:00:00Z')

const fixture = (path: string) => JSON.parse(readFileSync(new URL(`../fixtures/${path}`, import.meta.url), 'utf8')) as Record<string, any>

let t: TestApp
let close: () => Promise<void>
let now: number

beforeEach(async () => {
  now = RECEIVED
  const made = await createAppWithFakeApi({ clock: () => now })
  t = made.t
  close = made.close
})
afterEach(() => close())

/** A Telegram DM to the demo bot from one citizen, stamped at `at` by Telegram. */
async function telegramDm(chatId: number, updateId: number, at: number) {
  const update = fixture('telegram/private-ngapak.json')
  update.update_id = updateId
  update.message.date = Math.floor(at / 1000)
  update.message.from.id = chatId
  update.message.chat.id = chatId
  const res = await postRaw(t, '/webhooks/telegram/7000000001', JSON.stringify(update), {
    'x-telegram-bot-api-secret-token': DEMO_SECRETS.telegram.secretToken,
  })
  expect(res.statusCode).toBe(200)
  await t.jobs.idle()
  return rows<{ id: number }>(t, "SELECT id FROM items WHERE platform = 'telegram' AND external_thread_id = ?", String(chatId))[0]!.id
}

/** A WhatsApp delivery signed with the demo app's secret, processed. */
async function metaDelivery(body: string) {
  const res = await postRaw(t, '/webhooks/meta', body, { 'x-hub-signature-256': signMeta(DEMO_SECRETS.meta.appSecret, body) })
  expect(res.statusCode, res.body).toBe(200)
  await t.jobs.idle()
}

/** The item as its OPD's admin sees it. */
async function detail(username: string, itemId: number) {
  const admin = await signIn(t.app, username)
  const res = await t.app.inject({ url: `/api/items/${itemId}`, headers: admin.headers })
  expect(res.statusCode).toBe(200)
  return { body: res.json(), admin }
}

/** Answers from Tanggap at the current (fake) time and waits until the platform has it. */
async function answer(username: string, itemId: number) {
  const { admin } = await detail(username, itemId)
  const res = await t.app.inject({
    method: 'POST',
    url: `/api/items/${itemId}/replies`,
    headers: admin.headers,
    payload: { text: 'Sampun kami teruskan, matur nuwun 🙏' },
  })
  expect(res.statusCode, res.body).toBe(201)
  await t.jobs.idle()
  return (await detail(username, itemId)).body
}

describe('a platform time in the future', () => {
  it('Telegram, a day ahead: the clock starts at receipt, the message shows Telegram’s time, an answer 30 minutes later is a 30-minute response', async () => {
    const future = await telegramDm(5123456789, 871234501, RECEIVED + DAY)
    // The same DM stamped at receipt, for comparison.
    const present = await telegramDm(5123456790, 871234502, RECEIVED)

    const { body } = await detail('dishub', future)
    expect(body.messages).toHaveLength(1)
    expect(body.messages[0].sentAt).toBe(RECEIVED + DAY)
    // A DM is due within 2 working hours: 11:00 WIB the same morning, not tomorrow.
    expect(body.item).toMatchObject({ status: 'open', awaitingSince: RECEIVED, dueAt: RECEIVED + 2 * HOUR, firstMessageAt: RECEIVED, lastMessageAt: RECEIVED })
    const twin = (await detail('dishub', present)).body.item
    expect({ awaitingSince: twin.awaitingSince, dueAt: twin.dueAt, warnAt: twin.warnAt }).toEqual({
      awaitingSince: body.item.awaitingSince,
      dueAt: body.item.dueAt,
      warnAt: body.item.warnAt,
    })

    now = RECEIVED + 30 * MIN
    const answered = await answer('dishub', future)
    expect(answered.replies[0]).toMatchObject({ state: 'sent', sentAt: now })
    expect(answered.item).toMatchObject({ status: 'answered', firstResponseSeconds: 1800, awaitingSince: null, dueAt: null })
    expect(rows(t, 'SELECT type, seconds, within_sla FROM metric_events WHERE item_id = ?', future)).toEqual([
      { type: 'first_response', seconds: 1800, within_sla: 1 },
    ])
  })

  it('WhatsApp, a day ahead: the same, and the 24-hour reply window runs from receipt', async () => {
    const delivery = fixture('whatsapp/text.json')
    delivery.entry[0].changes[0].value.messages[0].timestamp = String((RECEIVED + DAY) / 1000)
    await metaDelivery(JSON.stringify(delivery))
    const id = rows<{ id: number }>(t, "SELECT id FROM items WHERE platform = 'whatsapp'")[0]!.id

    const { body: seen } = await detail('prokompim', id)
    expect(seen.messages.map((m: { sentAt: number }) => m.sentAt)).toEqual([RECEIVED + DAY])
    expect(seen.item).toMatchObject({ status: 'open', awaitingSince: RECEIVED, dueAt: RECEIVED + 2 * HOUR })
    expect(seen.replyWindowClosesAt).toBe(RECEIVED + DAY)

    now = RECEIVED + 45 * MIN
    expect((await answer('prokompim', id)).item).toMatchObject({ status: 'answered', firstResponseSeconds: 2700 })
  })

  it('a platform clock a little ahead of ours (within 5 minutes) is still the platform’s time', async () => {
    const id = await telegramDm(5123456789, 871234501, RECEIVED + 3 * MIN)
    expect((await detail('dishub', id)).body.item).toMatchObject({ awaitingSince: RECEIVED + 3 * MIN, dueAt: RECEIVED + 3 * MIN + 2 * HOUR })
  })

  it('a native reply stamped a day ahead stops the clock at its receipt, and the citizen’s next message still waits for an answer', async () => {
    const citizen = fixture('whatsapp/text-id.json')
    const message = (id: string, at: number) => {
      const m = citizen.entry[0].changes[0].value.messages[0]
      Object.assign(m, { id, timestamp: String(at / 1000) })
      return JSON.stringify(citizen)
    }
    const echo = fixture('whatsapp/echo-text.json')
    echo.entry[0].changes[0].value.message_echoes[0].timestamp = String((RECEIVED + 10 * MIN + DAY) / 1000)
    await metaDelivery(message('wamid.future-1', RECEIVED))
    now = RECEIVED + 10 * MIN
    await metaDelivery(JSON.stringify(echo))
    const id = rows<{ id: number }>(t, "SELECT id FROM items WHERE platform = 'whatsapp'")[0]!.id
    const answered = (await detail('prokompim', id)).body
    expect(answered.item).toMatchObject({ status: 'answered', firstResponseSeconds: 600 })
    expect(answered.messages.map((m: { direction: string; sentAt: number }) => [m.direction, m.sentAt])).toEqual([
      ['in', RECEIVED],
      ['out', RECEIVED + 10 * MIN + DAY],
    ])

    // The citizen writes again 10 minutes later: a new wait, not "answered already" by the post stamped tomorrow.
    now = RECEIVED + 20 * MIN
    await metaDelivery(message('wamid.future-2', now))
    expect((await detail('prokompim', id)).body.item).toMatchObject({
      status: 'open',
      awaitingSince: RECEIVED + 20 * MIN,
      dueAt: RECEIVED + 20 * MIN + 2 * HOUR,
    })
  })
})
