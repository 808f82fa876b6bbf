// WhatsApp Business Cloud API: signed Meta deliveries through /webhooks/meta into messages and items,
// native replies from the Business app stopping the clock, and replies sent to a fake Cloud API.
import fc from 'fast-check'
import { readFileSync } from 'node:fs'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { whatsappConnector } from '../../server/src/connectors/whatsapp/index.ts'
import { MAX_REPLY_CHARS, sendWhatsapp } from '../../server/src/connectors/whatsapp/send.ts'
import { readStatuses } from '../../server/src/connectors/whatsapp/statuses.ts'
import { signMeta } from '../../server/src/connectors/meta/verify.ts'
import type { DeliveryInput, NormalizedEvent, OpenChannel, SendRequest } from '../../server/src/connectors/types.ts'
import { PermanentJobError } from '../../server/src/jobs/registry.ts'
import type { FakeApi } from '../../server/src/simulator/fake-api.ts'
import { whatsappApi, whatsappMaker } from '../../server/src/simulator/platforms/whatsapp.ts'
import type { SimChannel, SimPost } from '../../server/src/simulator/types.ts'
import { signIn, type SignedIn, type TestApp } from '../helpers/app.ts'
import { channelId, countRows, createAppWithFakeApi, DEMO_CHANNELS, DEMO_SECRETS, postRaw, rows } from '../helpers/webhooks.ts'

const ACCOUNT = '106540352242922'
const SECRET = DEMO_SECRETS.meta.appSecret
const fixture = (name: string): Buffer => readFileSync(new URL(`../fixtures/whatsapp/${name}`, import.meta.url))
const fixtureJson = (name: string): Record<string, unknown> => JSON.parse(fixture(name).toString('utf8'))

const send = (t: TestApp, body: Buffer | string, headers: Record<string, string> = { 'x-hub-signature-256': signMeta(SECRET, body) }) =>
  postRaw(t, '/webhooks/meta', body, headers)

/** Posts a signed delivery and waits until its job has run. */
async function deliver(t: TestApp, body: Buffer | string): Promise<void> {
  const res = await send(t, body)
  expect(res.statusCode, res.body).toBe(200)
  await t.jobs.idle()
}

interface Msg {
  from: string
  name: string
  id: string
  ts: number
  text: string
}

/** A "messages" change as Meta builds one: the senders' contacts, then their messages. */
const change = (msgs: Msg[], account = ACCOUNT) => ({
  value: {
    messaging_product: 'whatsapp',
    metadata: { display_phone_number: '62283491000', phone_number_id: account },
    contacts: [...new Map(msgs.map((m) => [m.from, { profile: { name: m.name }, wa_id: m.from }])).values()],
    messages: msgs.map((m) => ({ from: m.from, id: m.id, timestamp: String(m.ts), type: 'text', text: { body: m.text } })),
  },
  field: 'messages',
})
const envelope = (entries: unknown[][]) =>
  JSON.stringify({ object: 'whatsapp_business_account', entry: entries.map((changes, i) => ({ id: `10229012934039${i}`, changes })) })

const echo = (id: string, to: string, ts: number, text: string) =>
  envelope([
    [
      {
        value: {
          messaging_product: 'whatsapp',
          metadata: { display_phone_number: '62283491000', phone_number_id: ACCOUNT },
          message_echoes: [{ from: '62283491000', to, id, timestamp: String(ts), type: 'text', text: { body: text } }],
        },
        field: 'smb_message_echoes',
      },
    ],
  ])

interface MessageRow {
  external_id: string
  parent_external_id: string | null
  direction: string
  author_name: string
  author_external_id: string | null
  text: string
  sent_at: number
  item_id: number
  edited_at: number | null
  deleted_at: number | null
}
interface ItemRow {
  id: number
  kind: string
  platform: string
  external_thread_id: string
  citizen_name: string
  citizen_contact: string | null
  status: string
  awaiting_since: number | null
  first_response_seconds: number | null
  last_inbound_at: number | null
}

const messageRows = (t: TestApp) => rows<MessageRow>(t, 'SELECT * FROM messages ORDER BY sent_at, id')
const messageById = (t: TestApp, externalId: string) => rows<MessageRow>(t, 'SELECT * FROM messages WHERE external_id = ?', externalId)[0]
const itemRows = (t: TestApp) => rows<ItemRow>(t, 'SELECT * FROM items ORDER BY id')
const deliveryRows = (t: TestApp) =>
  rows<{ id: number; state: string; error: string | null; flag: string | null; raw_body: Buffer }>(t, 'SELECT * FROM deliveries ORDER BY id')

let t: TestApp
let api: FakeApi
let close: () => Promise<void>
let supervisor: SignedIn
let now: number | undefined

beforeEach(async () => {
  now = undefined
  ;({ t, api, close } = await createAppWithFakeApi({ clock: () => now ?? Date.now(), env: { SESSION_TTL_HOURS: '720' } }))
  supervisor = await signIn(t.app, 'prokompim')
})
afterEach(() => close())

describe('inbound deliveries', () => {
  it('turns Meta’s example text message into a DM item with its author, platform time and thread', async () => {
    await deliver(t, fixture('text.json'))
    const [m] = messageRows(t)
    expect(m).toMatchObject({
      external_id: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=',
      direction: 'in',
      author_name: 'Sheena Nelson',
      author_external_id: '16505551234',
      text: 'Does it come in another color?',
      sent_at: 1749416383_000,
      parent_external_id: null,
    })
    const [item] = itemRows(t)
    expect(item).toMatchObject({
      kind: 'dm',
      platform: 'whatsapp',
      external_thread_id: '16505551234',
      citizen_name: 'Sheena Nelson',
      citizen_contact: '+16505551234',
      status: 'open',
      awaiting_since: 1749416383_000,
    })

    const list = (await t.app.inject({ url: '/api/items', headers: supervisor.headers })).json()
    expect(list.items).toHaveLength(1)
    expect(list.items[0]).toMatchObject({
      platform: 'whatsapp',
      kind: 'dm',
      citizenName: 'Sheena Nelson',
      preview: 'Does it come in another color?',
      firstMessageAt: 1749416383_000,
      opd: { code: 'prokompim' },
    })
    const detail = (await t.app.inject({ url: `/api/items/${item!.id}`, headers: supervisor.headers })).json()
    expect(detail.replyWindowClosesAt).toBe(1749416383_000 + 24 * 3_600_000)
  })

  it('describes media, locations, contacts, buttons and reactions in Indonesian, keeping the caption', async () => {
    const expected: [string, string][] = [
      ['image.json', '[gambar] Some awesome image'],
      ['video.json', '[video] Video'],
      ['audio.json', '[pesan suara]'],
      ['document.json', '[dokumen: RESTFB ANNIVERSARY.zip] RESTFB ANNIVERSARY'],
      ['sticker.json', '[stiker]'],
      ['location-id.json', '[lokasi] Alun-alun Slawi, Jl. Ahmad Yani, Procot, Slawi, Kabupaten Tegal (-6.9778, 109.1397)'],
      ['contacts.json', '[kontak] j_doe; Budi Santoso (+62 812-2600-1234)'],
      ['interactive-button.json', '[pilihan] button-text'],
      ['interactive-list.json', '[pilihan] list_reply_title list_reply_description'],
      ['button.json', '[tombol] No'],
      ['reaction.json', '[reaksi 👍🏻]'],
      ['unsupported.json', '[pesan tidak didukung WhatsApp — lihat di aplikasi]'],
      ['image-id.json', '[gambar] foto jalan berlubang di Jl. Raya Adiwerna, depan SD 2 🚧'],
      ['forwarded-id.json', '[diteruskan] Info penting!! Bansos PKH tahap 4 cair besok, daftar lewat link ini ya. Bener ora min?'],
    ]
    for (const [name] of expected) await deliver(t, fixture(name))
    for (const [name, text] of expected) {
      const id = ((fixtureJson(name).entry as any)[0].changes[0].value.messages[0] as { id: string }).id
      expect(messageById(t, id)?.text, name).toBe(text)
    }
    // A reply quotes the message it answers; a reaction points at the message reacted to.
    expect(messageById(t, (fixtureJson('image-id.json').entry as any)[0].changes[0].value.messages[0].id)?.parent_external_id).toBe(
      'wamid.HBgNNjI4MTM5MDAwMTIzNBUCABEYEjA5QkE0RjlGNzI1RUQ4QjlGMQA=',
    )
    expect(messageById(t, (fixtureJson('reaction.json').entry as any)[0].changes[0].value.messages[0].id)?.parent_external_id).toBe('wamid.xxxxxxxx')
    // The restfb fixtures share one sender: one conversation.
    const restfb = itemRows(t).filter((i) => i.external_thread_id === '491234567890')
    expect(restfb).toHaveLength(1)
    expect(deliveryRows(t).every((d) => d.state === 'processed')).toBe(true)
  })

  it('makes no message of system notices (a citizen changed number)', async () => {
    await deliver(t, fixture('system.json'))
    expect(deliveryRows(t)[0]!.state).toBe('processed')
    expect(countRows(t, 'messages')).toBe(0)
  })

  it('threads username-only (BSUID) users by their user id, and a group by its group id', async () => {
    await deliver(t, fixture('text-bsuid.json'))
    const body = fixtureJson('text-bsuid.json') as any
    delete body.entry[0].changes[0].value.messages[0].group_id
    body.entry[0].changes[0].value.messages[0].id = 'wamid.bsuid-direct-1'
    await deliver(t, JSON.stringify(body))
    const [group, direct] = itemRows(t)
    expect(group).toMatchObject({ external_thread_id: 'group:120363418770915618@g.us', citizen_name: 'Sheena Nelson', citizen_contact: null })
    expect(direct).toMatchObject({ external_thread_id: 'US.13491208655302741918', citizen_name: 'Sheena Nelson' })
    expect(messageById(t, 'wamid.bsuid-direct-1')?.author_external_id).toBe('US.13491208655302741918')
  })

  it('makes no message of delivery statuses of our own sends, and reads a failed one with Meta’s reason', async () => {
    await deliver(t, fixture('status-sent.json'))
    await deliver(t, fixture('status-failed.json'))
    expect(deliveryRows(t).map((d) => d.state)).toEqual(['processed', 'processed'])
    expect(countRows(t, 'messages')).toBe(0)
    expect(countRows(t, 'items')).toBe(0)
    expect(readStatuses(fixture('status-failed.json'))).toEqual([
      {
        accountId: ACCOUNT,
        externalId: 'wamid.HBgLMzI0NzY3NTUzNzYVAgARGBIzOTI2MzFGRjdBRjA4M0Y2RDQA',
        status: 'failed',
        at: 1698231447_000,
        error: { code: 131026, message: 'Receiver is incapable of receiving this message: Message Undeliverable.' },
      },
    ])
  })

  it('keeps a delivery for a number no channel knows, flagged for the superadmin', async () => {
    await deliver(t, envelope([[change([{ from: '6281200000001', name: 'Ani', id: 'wamid.unknown-1', ts: 1749416383, text: 'Halo' }], '999999999999999')]]))
    expect(deliveryRows(t)[0]).toMatchObject({ state: 'processed', flag: 'unknown_account' })
    expect(countRows(t, 'messages')).toBe(0)
  })

  it('puts two messages of one citizen in one item, and two citizens in two items', async () => {
    await deliver(
      t,
      envelope([
        [
          change([
            { from: '6281226001234', name: 'Siti Aminah', id: 'wamid.siti-1', ts: 1749416383, text: 'Min, jalan di Desa Pesarean rusak parah' },
            { from: '6281226001234', name: 'Siti Aminah', id: 'wamid.siti-2', ts: 1749416390, text: 'kapan diperbaiki? 🙏' },
          ]),
        ],
      ]),
    )
    await deliver(t, envelope([[change([{ from: '6285742009999', name: 'Joko Susilo', id: 'wamid.joko-1', ts: 1749416400, text: 'Lampu PJU mati 3 hari' }])]]))
    const items = itemRows(t)
    expect(items.map((i) => i.external_thread_id)).toEqual(['6281226001234', '6285742009999'])
    expect(countRows(t, 'messages', 'item_id = ?', items[0]!.id)).toBe(2)
    expect(countRows(t, 'messages', 'item_id = ?', items[1]!.id)).toBe(1)
    // The clock runs from the first unanswered message, the window from the last.
    expect(items[0]).toMatchObject({ awaiting_since: 1749416383_000, last_inbound_at: 1749416390_000 })
  })

  it('reads every message of a batch: 50 messages over 5 entries and 10 changes', async () => {
    const entries = Array.from({ length: 5 }, (_, e) =>
      Array.from({ length: 2 }, (_, c) =>
        change(
          Array.from({ length: 5 }, (_, m) => {
            const n = e * 10 + c * 5 + m
            return {
              from: `62812000000${String(n % 20).padStart(2, '0')}`,
              name: `Warga ${n % 20}`,
              id: `wamid.batch-${n}`,
              ts: 1749416383 + n,
              text: `Pesan nomor ${n} 🙏`,
            }
          }),
        ),
      ),
    )
    await deliver(t, envelope(entries))
    expect(countRows(t, 'deliveries')).toBe(1)
    expect(countRows(t, 'messages')).toBe(50)
    expect(countRows(t, 'items')).toBe(20)
    expect(messageById(t, 'wamid.batch-49')).toMatchObject({ text: 'Pesan nomor 49 🙏', author_name: 'Warga 9', sent_at: (1749416383 + 49) * 1000 })
  })
})

describe('signatures', () => {
  it('refuses a wrong, foreign, legacy or missing signature with 401 and stores nothing', async () => {
    const body = fixture('text-id.json')
    const tampered = Buffer.from(body.toString('utf8').replace('Slawi', 'Slawy'), 'utf8')
    const attempts: Record<string, string>[] = [
      {},
      { 'x-hub-signature-256': `sha256=${'0'.repeat(64)}` },
      { 'x-hub-signature-256': signMeta('another-app-secret', body) },
      { 'x-hub-signature-256': signMeta(SECRET, body).slice('sha256='.length) },
      { 'x-hub-signature': `sha1=${'0'.repeat(40)}` },
      { 'x-hub-signature-256': 'sha256=not-hex' },
    ]
    for (const headers of attempts) {
      const res = await send(t, body, headers)
      expect(res.statusCode, JSON.stringify(headers)).toBe(401)
    }
    // A signature for other bytes does not cover these.
    expect((await send(t, tampered, { 'x-hub-signature-256': signMeta(SECRET, body) })).statusCode).toBe(401)
    await t.jobs.idle()
    expect(countRows(t, 'deliveries')).toBe(0)
    expect(countRows(t, 'messages')).toBe(0)
  })
})

describe('redelivery', () => {
  it('makes one message of the same delivery sent three times', async () => {
    const body = fixture('text-id.json')
    for (let i = 0; i < 3; i++) expect((await send(t, body)).statusCode).toBe(200)
    await t.jobs.idle()
    expect(countRows(t, 'messages')).toBe(1)
    expect(countRows(t, 'items')).toBe(1)
  })

  it('makes one message of the same wamid re-sent inside three different batches', async () => {
    const msg = { from: '6281226001234', name: 'Siti Aminah', id: 'wamid.retry-1', ts: 1749416383, text: 'Sampah di pasar Slawi ga diangkut' }
    await deliver(t, envelope([[change([msg])]]))
    await deliver(t, envelope([[change([msg, { ...msg, id: 'wamid.retry-2', ts: 1749416390 }])]]))
    await deliver(t, envelope([[change([{ ...msg, id: 'wamid.retry-3', ts: 1749416395 }])], [change([msg])]]))
    expect(countRows(t, 'deliveries')).toBe(3)
    expect(rows<{ external_id: string }>(t, 'SELECT external_id FROM messages ORDER BY id').map((r) => r.external_id)).toEqual([
      'wamid.retry-1',
      'wamid.retry-2',
      'wamid.retry-3',
    ])
  })
})

describe('Indonesian text and names', () => {
  const SITI = 'Assalamualaikum min, blangko KTP-el nang Dukcapil Slawi wis ana durung? 🙏🏽 nyong wis bolak-balik 3× — “jarene” kosong terus 😡'

  it('stores raw UTF-8 bodies byte for byte, signed over exactly those bytes', async () => {
    const body = fixture('text-id.json')
    await deliver(t, body)
    expect(Buffer.compare(deliveryRows(t)[0]!.raw_body, body)).toBe(0)
    const [m] = messageRows(t)
    expect(m).toMatchObject({ text: SITI, author_name: 'Dédé Ñurhasanah 🌸' })
    const item = (await t.app.inject({ url: '/api/items', headers: supervisor.headers })).json().items[0]
    expect(item).toMatchObject({ citizenName: 'Dédé Ñurhasanah 🌸', preview: SITI })
    const detail = (await t.app.inject({ url: `/api/items/${item.id}`, headers: supervisor.headers })).json()
    expect(detail.messages[0].text).toBe(SITI)
    expect(detail.citizenContact).toBe('+6281226001234')
  })

  it('decodes Meta’s \\u-escaped bodies, whose signature covers the escaped bytes', async () => {
    const body = fixture('text-id-escaped.json')
    expect(body.toString('utf8')).toContain('\\ud83d\\ude2d')
    await deliver(t, body)
    expect(messageRows(t)[0]).toMatchObject({
      author_name: 'Sri Wahyuni ✨',
      text: 'Pak, gili nang Adiwerna bolong-bolong kaya kiye, kapan dibenerin? motor wis pada jatuh 😭 — Ñandú “kutip” é',
    })
    // Re-serialising the parsed JSON changes the bytes, so the same signature no longer fits.
    const reserialised = JSON.stringify(JSON.parse(body.toString('utf8')))
    expect((await send(t, reserialised, { 'x-hub-signature-256': signMeta(SECRET, body) })).statusCode).toBe(401)
  })

  it('cuts a huge message to 4000 characters, ending in “…”, without breaking an emoji in half', async () => {
    const huge = 'Tolong min 😡'.repeat(6000)
    await deliver(t, envelope([[change([{ from: '6281226001234', name: 'Ñ'.repeat(500), id: 'wamid.huge', ts: 1749416383, text: huge }])]]))
    const m = messageById(t, 'wamid.huge')!
    expect(m.text.length).toBeLessThanOrEqual(4000)
    expect(m.text.endsWith('…')).toBe(true)
    expect(huge.startsWith(m.text.slice(0, -1))).toBe(true)
    expect(Buffer.from(m.text, 'utf8').toString('utf8')).toBe(m.text)
    expect(m.author_name).toBe('Ñ'.repeat(120))
  })
})

describe('government replies', () => {
  it('counts a reply typed natively in the WhatsApp Business app: the item is answered, timed by WhatsApp’s clock', async () => {
    await deliver(t, fixture('text-id.json'))
    await deliver(t, fixture('echo-text.json'))
    const [item] = itemRows(t)
    expect(item).toMatchObject({ status: 'answered', awaiting_since: null, first_response_seconds: 1749416803 - 1749416383 })
    expect(messageRows(t).map((m) => [m.direction, m.author_name])).toEqual([
      ['in', 'Dédé Ñurhasanah 🌸'],
      ['out', 'Aplikasi WhatsApp Business'],
    ])
    const summary = (await t.app.inject({ url: '/api/items', headers: supervisor.headers })).json().items[0]
    expect(summary).toMatchObject({ status: 'answered', firstResponseSeconds: 420 })
  })

  it('sends our reply quoting the citizen’s message, and counts it once when its echo arrives', async () => {
    await deliver(t, fixture('text-id.json'))
    now = 1749416383_000 + 10 * 60_000 // ten minutes after the citizen wrote
    const [item] = itemRows(t)
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/items/${item!.id}/replies`,
      headers: supervisor.headers,
      payload: { text: 'Blangko sudah tersedia, Bu. Silakan datang ke Disdukcapil Slawi 🙏' },
    })
    expect(res.statusCode, res.body).toBe(201)
    await t.jobs.idle()
    const [reply] = rows<{ state: string; external_id: string }>(t, 'SELECT * FROM replies')
    expect(reply!.state).toBe('sent')
    expect(reply!.external_id).toMatch(/^wamid\./)

    const calls = api.callsTo('whatsapp')
    expect(calls).toHaveLength(1)
    expect(calls[0]).toMatchObject({ method: 'POST', path: `/${ACCOUNT}/messages` })
    expect(calls[0]!.headers.authorization).toBe(`Bearer ${DEMO_SECRETS.meta.accessToken}`)
    expect(calls[0]!.body).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '6281226001234',
      type: 'text',
      text: { body: 'Blangko sudah tersedia, Bu. Silakan datang ke Disdukcapil Slawi 🙏' },
      context: { message_id: 'wamid.HBgNNjI4MTIyNjAwMTIzNBUCABIYFjNFQjBCNkE3RjE2QzQ5RDdGMEI3RDYA' },
    })

    // Should WhatsApp ever echo our own send (e.g. to the Business app), it carries the same wamid.
    await deliver(
      t,
      echo(reply!.external_id, '6281226001234', Math.floor(now! / 1000) + 2, 'Blangko sudah tersedia, Bu. Silakan datang ke Disdukcapil Slawi 🙏'),
    )
    expect(countRows(t, 'messages', "direction = 'out'")).toBe(1)
    expect(itemRows(t)[0]!.status).toBe('answered')
  })

  it('applies a citizen’s edit and revoke to the message, keeping the earlier text', async () => {
    await deliver(t, fixture('text-id.json'))
    await deliver(t, fixture('edit-id.json'))
    const id = 'wamid.HBgNNjI4MTIyNjAwMTIzNBUCABIYFjNFQjBCNkE3RjE2QzQ5RDdGMEI3RDYA'
    expect(messageById(t, id)).toMatchObject({
      text: 'Assalamualaikum min, blangko KTP-el nang Dukcapil Slawi wis ana durung? 🙏🏽 (ralat: wis bolak-balik 4×)',
      edited_at: 1749416443_000,
    })
    await deliver(t, fixture('revoke-id.json'))
    expect(messageById(t, id)!.deleted_at).toBe(1749416503_000)
    expect(rows<{ change: string; previous_text: string }>(t, 'SELECT change, previous_text FROM message_revisions ORDER BY id').map((r) => r.change)).toEqual([
      'edit',
      'delete',
    ])
    expect(countRows(t, 'messages')).toBe(1)
  })
})

describe('sending through the Cloud API', () => {
  async function itemWithCitizenMessage(at = 1749416383): Promise<number> {
    await deliver(t, envelope([[change([{ from: '6281226001234', name: 'Siti Aminah', id: `wamid.ask-${at}`, ts: at, text: 'Min, kapan bansos PKH cair?' }])]]))
    now = at * 1000 + 60_000
    return itemRows(t)[0]!.id
  }
  const reply = (itemId: number, text = 'Pencairan tahap 4 dijadwalkan minggu depan, Bu.') =>
    t.app.inject({ method: 'POST', url: `/api/items/${itemId}/replies`, headers: supervisor.headers, payload: { text } })
  const detail = async (itemId: number) => (await t.app.inject({ url: `/api/items/${itemId}`, headers: supervisor.headers })).json()

  it('retries after a 5xx and then succeeds', async () => {
    const itemId = await itemWithCitizenMessage()
    api.failNext('whatsapp', 1, 500, { error: { message: 'An unknown error has occurred.', type: 'OAuthException', code: 1, fbtrace_id: 'AbC' } })
    expect((await reply(itemId)).statusCode).toBe(201)
    await t.jobs.idle()
    const d = await detail(itemId)
    expect(d.replies[0]).toMatchObject({ state: 'sent', error: null })
    expect(api.callsTo('whatsapp')).toHaveLength(2)
    expect(countRows(t, 'messages', "direction = 'out'")).toBe(1)
    expect(d.item.status).toBe('answered')
  })

  it('retries a throughput limit (130429), which Graph answers with HTTP 400', async () => {
    const itemId = await itemWithCitizenMessage()
    api.failNext('whatsapp', 1, 400, {
      error: {
        message: '(#130429) Rate limit hit',
        type: 'OAuthException',
        code: 130429,
        error_data: { messaging_product: 'whatsapp', details: 'Cloud API message throughput has been reached.' },
        fbtrace_id: 'AbC',
      },
    })
    await reply(itemId)
    await t.jobs.idle()
    expect((await detail(itemId)).replies[0].state).toBe('sent')
    expect(api.callsTo('whatsapp')).toHaveLength(2)
  })

  it('gives up at once on a 400 that retrying cannot fix, and shows WhatsApp’s reason on the item', async () => {
    const itemId = await itemWithCitizenMessage()
    api.failNext('whatsapp', 1, 400, {
      error: {
        message: '(#131026) Message Undeliverable.',
        type: 'OAuthException',
        code: 131026,
        error_data: { messaging_product: 'whatsapp', details: 'Message Undeliverable.' },
        fbtrace_id: 'AbC',
      },
    })
    await reply(itemId)
    await t.jobs.idle()
    const d = await detail(itemId)
    expect(d.replies[0].state).toBe('failed')
    expect(d.replies[0].error).toContain('Message Undeliverable')
    expect(d.replies[0].error).toContain('131026')
    expect(api.callsTo('whatsapp')).toHaveLength(1)
    expect(d.item.status).toBe('open')
    expect(countRows(t, 'messages', "direction = 'out'")).toBe(0)
  })

  it('explains the 24-hour re-engagement error (131047) when WhatsApp refuses a reply', async () => {
    const itemId = await itemWithCitizenMessage()
    api.failNext('whatsapp', 1, 400, {
      error: {
        message: '(#131047) Re-engagement message',
        type: 'OAuthException',
        code: 131047,
        error_data: {
          messaging_product: 'whatsapp',
          details: 'Message failed to send because more than 24 hours have passed since the customer last replied to this number.',
        },
        fbtrace_id: 'AbC',
      },
    })
    await reply(itemId)
    await t.jobs.idle()
    const { replies } = await detail(itemId)
    expect(replies[0].state).toBe('failed')
    expect(replies[0].error).toMatch(/131047.*24 hours/)
  })

  it('fails a sent reply that WhatsApp later reports undelivered, shows why, and lets the clock run again', async () => {
    const itemId = await itemWithCitizenMessage()
    expect((await reply(itemId)).statusCode).toBe(201)
    await t.jobs.idle()
    expect((await detail(itemId)).item.status).toBe('answered')
    const [sent] = rows<{ external_id: string }>(t, 'SELECT external_id FROM replies')
    const failed = envelope([
      [
        {
          value: {
            messaging_product: 'whatsapp',
            metadata: { display_phone_number: '62283491000', phone_number_id: ACCOUNT },
            statuses: [
              {
                id: sent!.external_id,
                status: 'failed',
                timestamp: String(Math.floor(now! / 1000) + 5),
                recipient_id: '6281226001234',
                errors: [{ code: 131047, title: 'Re-engagement message', message: 'Re-engagement message' }],
              },
            ],
          },
          field: 'messages',
        },
      ],
    ])
    await deliver(t, failed)
    const after = await detail(itemId)
    expect(after.replies[0]).toMatchObject({ state: 'failed', error: expect.stringContaining('131047') })
    expect(after.item).toMatchObject({ status: 'open', firstResponseSeconds: null })
    expect(after.item.dueAt).toBeGreaterThan(0)
    expect(after.messages.filter((m: { direction: string }) => m.direction === 'out')).toHaveLength(0)
    expect(countRows(t, 'metric_events', "type = 'first_response'")).toBe(0)
    // The same status redelivered changes nothing more.
    await deliver(t, failed.replace('"failed"', '"failed" '))
    expect((await detail(itemId)).replies).toHaveLength(1)
  })

  it('refuses a free-form reply once 24 hours have passed since the citizen last wrote', async () => {
    const at = 1749416383
    const itemId = await itemWithCitizenMessage(at)
    now = at * 1000 + 23 * 3_600_000
    expect((await reply(itemId)).statusCode).toBe(201)
    await t.jobs.idle()
    now = at * 1000 + 24 * 3_600_000 + 60_000
    const late = await reply(itemId, 'Mohon maaf baru sempat membalas')
    expect(late.statusCode).toBe(422)
    expect(late.json().error.code).toBe('WINDOW_CLOSED')
    expect(api.callsTo('whatsapp')).toHaveLength(1)
  })

  it('refuses a reply longer than WhatsApp’s 4096 characters without calling the API, and addresses username-only users by BSUID', async () => {
    const channel: OpenChannel = { id: 1, platform: 'whatsapp', accountId: ACCOUNT, name: 'WA', credentials: { ...DEMO_SECRETS.meta }, settings: {} }
    const req: SendRequest = {
      replyId: 1,
      text: 'x',
      channel,
      kind: 'dm',
      externalThreadId: 'US.13491208655302741918',
      replyToExternalId: 'wamid.abc',
      recipientExternalId: 'US.13491208655302741918',
      apiBase: `${api.url}/whatsapp`,
      fetch,
    }
    const long = sendWhatsapp({ ...req, text: '🙏'.repeat(MAX_REPLY_CHARS + 1) })
    await expect(long).rejects.toBeInstanceOf(PermanentJobError)
    await expect(long).rejects.toThrow(/4096/)
    expect(api.callsTo('whatsapp')).toHaveLength(0)

    const { externalId } = await sendWhatsapp(req)
    expect(externalId).toMatch(/^wamid\./)
    expect(api.callsTo('whatsapp')[0]!.body).toMatchObject({ recipient_type: 'individual', recipient: 'US.13491208655302741918' })
    expect(api.callsTo('whatsapp')[0]!.body).not.toHaveProperty('to')
    // A group thread is answered in the group.
    await sendWhatsapp({ ...req, externalThreadId: 'group:120363418770915618@g.us' })
    expect(api.callsTo('whatsapp')[1]!.body).toMatchObject({ recipient_type: 'group', to: '120363418770915618@g.us' })
  })

  it('turns an unreachable API into a retryable error and a bad token into a permanent one', async () => {
    const channel: OpenChannel = { id: 1, platform: 'whatsapp', accountId: ACCOUNT, name: 'WA', credentials: { ...DEMO_SECRETS.meta }, settings: {} }
    const req: SendRequest = {
      replyId: 1,
      text: 'Halo',
      channel,
      kind: 'dm',
      externalThreadId: '628123',
      replyToExternalId: null,
      recipientExternalId: '628123',
      apiBase: 'http://127.0.0.1:9/whatsapp',
      fetch,
    }
    const offline = await sendWhatsapp(req).catch((e: unknown) => e)
    expect(offline).toBeInstanceOf(Error)
    expect(offline).not.toBeInstanceOf(PermanentJobError)
    const badToken = await sendWhatsapp({ ...req, apiBase: `${api.url}/whatsapp`, channel: { ...channel, credentials: { accessToken: 'expired' } } }).catch(
      (e: unknown) => e,
    )
    expect(badToken).toBeInstanceOf(PermanentJobError)
    expect((badToken as Error).message).toMatch(/401.*190.*access token/)
  })

  it('tests the connection with the channel’s token', async () => {
    const channel: OpenChannel = { id: 1, platform: 'whatsapp', accountId: ACCOUNT, name: 'WA', credentials: { ...DEMO_SECRETS.meta }, settings: {} }
    await expect(whatsappConnector.testConnection!(channel, `${api.url}/whatsapp`, fetch)).resolves.toBe(
      'Simulasi WA Pemkab Tegal (+62 283-491000), quality GREEN',
    )
    expect(api.callsTo('whatsapp')[0]).toMatchObject({ method: 'GET', path: `/${ACCOUNT}` })
    await expect(whatsappConnector.testConnection!({ ...channel, credentials: { accessToken: 'wrong' } }, `${api.url}/whatsapp`, fetch)).rejects.toThrow(/190/)
  })
})

// ---- fuzzing ----

const asDelivery = (raw: string | Buffer): DeliveryInput => ({
  id: 1,
  platform: 'whatsapp',
  channelId: null,
  dedupeKey: 'fuzz',
  rawBody: Buffer.isBuffer(raw) ? raw : Buffer.from(raw, 'utf8'),
  receivedAt: Date.now(),
  trackingCode: null,
})
const ctx = { opdIdByCode: () => undefined, triageOpdId: () => 1 }

const FIXTURES = [
  'text.json',
  'text-bsuid.json',
  'image-id.json',
  'location-id.json',
  'contacts.json',
  'reaction.json',
  'echo-text.json',
  'edit-id.json',
  'revoke-id.json',
  'forwarded-id.json',
  'status-failed.json',
  'interactive-list.json',
]

type Path = (string | number)[]
function paths(v: unknown, at: Path = []): Path[] {
  if (typeof v !== 'object' || v === null) return [at]
  const keys: (string | number)[] = Array.isArray(v) ? v.map((_, i) => i) : Object.keys(v)
  return [at, ...keys.flatMap((k) => paths((v as Record<string | number, unknown>)[k], [...at, k]))]
}

type Mutation = { at: number; op: 'drop' | 'replace' | 'huge' | 'wrap' | 'number'; value: unknown }
function mutate(doc: unknown, mutations: Mutation[]): unknown {
  const copy = structuredClone(doc)
  for (const m of mutations) {
    const all = paths(copy).filter((p) => p.length > 0)
    if (!all.length) break
    const path = all[m.at % all.length]!
    const parent = path.slice(0, -1).reduce<any>((o, k) => o[k], copy)
    const key = path[path.length - 1]!
    if (m.op === 'drop') Array.isArray(parent) ? parent.splice(key as number, 1) : delete parent[key]
    else if (m.op === 'replace') parent[key] = m.value
    else if (m.op === 'huge') parent[key] = '🙏ā'.repeat(6_000)
    else if (m.op === 'wrap') parent[key] = [parent[key]]
    else parent[key] = typeof parent[key] === 'string' && /^\d+$/.test(parent[key]) ? Number(parent[key]) : 1e308
  }
  return copy
}

const mutationArb = fc.array(
  fc.record({ at: fc.nat(), op: fc.constantFrom<Mutation['op']>('drop', 'replace', 'huge', 'wrap', 'number'), value: fc.jsonValue({ maxDepth: 3 }) }),
  { minLength: 1, maxLength: 4 },
)
const mutatedDelivery = fc.tuple(fc.constantFrom(...FIXTURES), mutationArb).map(([name, ms]) => JSON.stringify(mutate(fixtureJson(name), ms)))

function checkEvents(events: NormalizedEvent[]) {
  expect(Array.isArray(events)).toBe(true)
  for (const e of events) {
    expect(['add', 'edit', 'delete']).toContain(e.verb)
    expect(['in', 'out']).toContain(e.direction)
    expect(e.kind).toBe('dm')
    for (const s of [e.accountId, e.externalId, e.externalThreadId, e.authorName, e.text]) expect(typeof s).toBe('string')
    expect(e.externalId.length).toBeGreaterThan(0)
    expect(e.text.length).toBeLessThanOrEqual(4000)
    expect(e.authorName.length).toBeLessThanOrEqual(120)
    expect(Number.isSafeInteger(e.sentAt)).toBe(true)
  }
}

/** normalize either returns well-formed events or throws a plain Error with a reason — nothing else. */
function normalizeSafely(raw: string | Buffer) {
  try {
    checkEvents(whatsappConnector.normalize(asDelivery(raw), ctx))
  } catch (err) {
    if ((err as Error | null | undefined)?.constructor?.name === 'AssertionError') throw err
    expect(Object.getPrototypeOf(err)).toBe(Error.prototype)
    expect((err as Error).message.length).toBeGreaterThan(0)
  }
}

describe('fuzzing the normalizer', () => {
  it('never lets anything but a plain Error escape, for random bodies', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => normalizeSafely(JSON.stringify(v))),
      { numRuns: 300 },
    )
    fc.assert(
      fc.property(fc.jsonValue(), (v) => normalizeSafely(JSON.stringify({ object: 'whatsapp_business_account', entry: v }))),
      { numRuns: 300 },
    )
    fc.assert(
      fc.property(fc.string(), (s) => normalizeSafely(s)),
      { numRuns: 100 },
    )
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (b) => normalizeSafely(Buffer.from(b))),
      { numRuns: 100 },
    )
  })

  it('never lets anything but a plain Error escape, for mutated real deliveries', () => {
    fc.assert(
      fc.property(mutatedDelivery, (raw) => normalizeSafely(raw)),
      { numRuns: 1000 },
    )
  })

  it('reads a message whose type names an inherited property as an unknown type, not as Object.prototype', () => {
    const body = fixtureJson('text.json') as any
    body.entry[0].changes[0].value.messages[0].type = 'constructor'
    const [event] = whatsappConnector.normalize(asDelivery(JSON.stringify(body)), ctx)
    expect(event!.text).toBe('[pesan jenis constructor]')
  })

  it('marks unreadable deliveries failed with a reason through the job, and keeps serving', async () => {
    const unreadable = [
      JSON.stringify({ object: 'whatsapp_business_account', entry: 'nope' }),
      JSON.stringify({
        object: 'whatsapp_business_account',
        entry: [
          {
            id: '1',
            changes: [
              {
                field: 'messages',
                value: {
                  metadata: { phone_number_id: ACCOUNT },
                  messages: [{ id: 'wamid.x', from: '628', timestamp: 'kemarin', type: 'text', text: { body: 'hai' } }],
                },
              },
            ],
          },
        ],
      }),
      JSON.stringify({
        object: 'whatsapp_business_account',
        entry: [
          {
            id: '1',
            changes: [
              {
                field: 'messages',
                value: {
                  metadata: { phone_number_id: ACCOUNT },
                  messages: [{ id: 12345678901234567890, from: '628', timestamp: '1749416383', type: 'text', text: { body: 'hai' } }],
                },
              },
            ],
          },
        ],
      }),
    ]
    for (const body of unreadable) await deliver(t, body)
    const failed = deliveryRows(t)
    expect(failed.map((d) => d.state)).toEqual(['failed', 'failed', 'failed'])
    expect(failed[0]!.error).toMatch(/entry list/)
    expect(failed[1]!.error).toMatch(/No readable WhatsApp message: message wamid.x without a valid timestamp/)
    expect(failed[2]!.error).toMatch(/without an id/)

    const samples = fc.sample(mutatedDelivery, { numRuns: 60, seed: 20250608 })
    for (const body of samples) expect((await send(t, body)).statusCode).toBe(200)
    await t.jobs.idle()
    const all = deliveryRows(t)
    expect(all.every((d) => d.state === 'processed' || (d.state === 'failed' && !!d.error))).toBe(true)
    expect((await t.app.inject({ url: '/healthz' })).statusCode).toBe(200)
    expect((await t.app.inject({ url: '/api/items', headers: supervisor.headers })).statusCode).toBe(200)
  })
})

describe('simulator', () => {
  const demo = DEMO_CHANNELS.find((c) => c.platform === 'whatsapp')!
  const channel: SimChannel = { platform: 'whatsapp', accountId: demo.accountId, name: demo.name, credentials: demo.credentials! }

  it('builds signed deliveries in WhatsApp’s format that the app turns into messages and native replies', async () => {
    const at = Date.parse('2026-11-23T02:00:00Z')
    const posts: SimPost[] = [
      {
        kind: 'dm',
        text: 'Pak, gili nang Adiwerna bolong-bolong kaya kiye 😭',
        authorName: 'Tarno Tegal',
        authorId: '6281226005678',
        messageId: 'sim-1',
        threadId: '6281226005678',
        at,
      },
      {
        kind: 'dm',
        text: 'Sinyal ga ada di desa kami Jatinegara',
        authorName: 'Dédé Ñurhasanah',
        authorId: '6285742005678',
        messageId: 'sim-2',
        threadId: '6285742005678',
        at: at + 1000,
      },
    ]
    const d = whatsappMaker.make(channel, posts)
    expect(d).toMatchObject({ method: 'POST', path: '/webhooks/meta' })
    expect(d.body).not.toMatch(/[^\x00-\x7f]/) // escaped like Meta's
    expect((await send(t, d.body, d.headers)).statusCode).toBe(200)
    await t.jobs.idle()
    expect(messageRows(t).map((m) => [m.external_id, m.author_name, m.text, m.sent_at])).toEqual([
      ['wamid.sim-1', 'Tarno Tegal', posts[0]!.text, at],
      ['wamid.sim-2', 'Dédé Ñurhasanah', posts[1]!.text, at + 1000],
    ])

    const native = whatsappMaker.make(channel, [
      {
        kind: 'dm',
        text: 'Siap, laporan diteruskan ke DPUPR 👍',
        authorName: channel.name,
        authorId: ACCOUNT,
        messageId: 'sim-3',
        threadId: '6281226005678',
        fromAccount: true,
        at: at + 600_000,
      },
    ])
    expect((await send(t, native.body, native.headers)).statusCode).toBe(200)
    await t.jobs.idle()
    const tarno = itemRows(t).find((i) => i.external_thread_id === '6281226005678')!
    expect(tarno).toMatchObject({ status: 'answered', first_response_seconds: 600 })
    expect(channelId(t, 'whatsapp')).toBeGreaterThan(0)
  })

  it('answers like the Cloud API: message ids on success, Graph error shapes on failure', () => {
    const call = (
      body: unknown,
      headers: Record<string, string> = { authorization: `Bearer ${DEMO_SECRETS.meta.accessToken}` },
      method = 'POST',
      path = `/${ACCOUNT}/messages`,
    ) => whatsappApi({ platform: 'whatsapp', method, path, query: {}, headers, body, at: 0 })
    const ok = call({ messaging_product: 'whatsapp', recipient_type: 'individual', to: '6281226001234', type: 'text', text: { body: 'Halo' } })
    expect(ok.status).toBe(200)
    expect(ok.body).toMatchObject({
      messaging_product: 'whatsapp',
      contacts: [{ input: '6281226001234', wa_id: '6281226001234' }],
      messages: [{ id: expect.stringMatching(/^wamid\./) }],
    })
    expect(call({}, {})).toMatchObject({ status: 401, body: { error: { code: 190, type: 'OAuthException' } } })
    expect(call({ messaging_product: 'whatsapp', to: '628', type: 'text', text: { body: 'x'.repeat(4097) } })).toMatchObject({
      status: 400,
      body: { error: { code: 100 } },
    })
    expect(call(null, undefined, 'DELETE')).toMatchObject({ status: 400, body: { error: { code: 100, type: 'GraphMethodException' } } })
  })
})
