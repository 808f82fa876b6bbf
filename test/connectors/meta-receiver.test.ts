// The Meta webhook (/webhooks/meta) against hostile and careless callers: the handshake with repeated
// or oversized parameters, signed bodies that are empty or not JSON objects, and signatures bound to
// the accounts a delivery addresses, so that one channel's app secret cannot speak for another's.
import { afterEach, describe, expect, it } from 'vitest'
import { signMeta } from '../../server/src/connectors/meta/verify.ts'
import { createTestApp, eventually, signIn, type TestApp } from '../helpers/app.ts'
import { startTestServer, type TestServer } from '../helpers/server.ts'
import { channelId, countRows, DEMO_SECRETS, postRaw, rows } from '../helpers/webhooks.ts'

const DEMO_SECRET = DEMO_SECRETS.meta.appSecret
const VERIFY_TOKEN = DEMO_SECRETS.meta.verifyToken
const PAGE = '102030405060708' // Facebook Pemkab Tegal (prokompim)
const IG = '17841400000000001' // @disdukcapil.tegalkab
const IG_DPUPR = '17841400000000002' // @dpupr.tegalkab: given its own Meta app below
const WA_NUMBER = '106540352242922' // WA Lapor Bupati Tegal (phone number id)
const UNKNOWN_IG = '17841499999999999'
const DPUPR_SECRET = 'dpupr-meta-app-secret'
const T = 1794794400000 // 2026-11-16 02:00 UTC

let close: (() => Promise<void>) | undefined
afterEach(async () => {
  await close?.()
  close = undefined
})
async function app(): Promise<TestApp> {
  const t = await createTestApp()
  close = () => t.close()
  return t
}

/** The app with the DPUPR Instagram account connected through another Meta app (its own app secret). */
async function twoApps(): Promise<TestApp> {
  const t = await app()
  const admin = await signIn(t.app, 'superadmin')
  const res = await t.app.inject({
    method: 'PATCH',
    url: `/api/admin/channels/${channelId(t, 'instagram', IG_DPUPR)}`,
    headers: admin.headers,
    payload: { secrets: { appSecret: DPUPR_SECRET } },
  })
  expect(res.statusCode).toBe(200)
  return t
}

const post = (t: TestApp, body: string, secret: string | null = DEMO_SECRET, headers: Record<string, string> = {}) =>
  postRaw(t, '/webhooks/meta', body, { ...(secret ? { 'x-hub-signature-256': signMeta(secret, body) } : {}), ...headers })

/** Waits until every stored delivery has been processed (or failed). */
const settled = (t: TestApp) => eventually(() => countRows(t, 'deliveries', "state = 'pending'") === 0)

const expectErrorBody = (res: { json(): unknown }, code: string) =>
  expect(res.json()).toMatchObject({ error: { code, message: expect.any(String), requestId: expect.any(String) } })

/** One Instagram Direct message from a citizen to an account. */
const directEntry = (account: string, citizen: string, mid: string, text: string, opts: { withId?: boolean } = {}) => ({
  time: T,
  ...(opts.withId === false ? {} : { id: account }),
  messaging: [{ sender: { id: citizen }, recipient: { id: account }, timestamp: T, message: { mid, text } }],
})
const instagram = (...entry: unknown[]) => JSON.stringify({ object: 'instagram', entry })

const whatsapp = (value: Record<string, unknown>) =>
  JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '102290129340398',
        changes: [
          {
            field: 'messages',
            value: { messaging_product: 'whatsapp', metadata: { display_phone_number: '6282300000000', phone_number_id: WA_NUMBER }, ...value },
          },
        ],
      },
    ],
  })

describe('the subscription handshake', () => {
  const handshake = (t: TestApp, query: string) => t.app.inject({ url: `/webhooks/meta?${query}` })

  it('echoes the challenge for a channel’s verify token and refuses other tokens', async () => {
    const t = await app()
    const ok = await handshake(t, `hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=${VERIFY_TOKEN}`)
    expect(ok.statusCode).toBe(200)
    expect(ok.headers['content-type']).toMatch(/^text\/plain/)
    expect(ok.body).toBe('1158201444')
    const wrong = await handshake(t, 'hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=tebakan')
    expect(wrong.statusCode).toBe(403)
    expectErrorBody(wrong, 'FORBIDDEN')
    expect((await handshake(t, `hub.mode=unsubscribe&hub.challenge=1&hub.verify_token=${VERIFY_TOKEN}`)).statusCode).toBe(403)
    expect((await handshake(t, `hub.mode=subscribe&hub.verify_token=${VERIFY_TOKEN}`)).statusCode).toBe(403)
  })

  it('answers 400 with the usual error body when a parameter comes twice or is oversized', async () => {
    const t = await app()
    for (const query of [
      `hub.mode=subscribe&hub.challenge=1&hub.verify_token=${VERIFY_TOKEN}&hub.verify_token=${VERIFY_TOKEN}`,
      `hub.mode=subscribe&hub.challenge=1&hub.challenge=2&hub.verify_token=${VERIFY_TOKEN}`,
      `hub.mode=subscribe&hub.mode=subscribe&hub.challenge=1&hub.verify_token=${VERIFY_TOKEN}`,
      `hub.mode=subscribe&hub.challenge=${'9'.repeat(201)}&hub.verify_token=${VERIFY_TOKEN}`,
      `hub.mode=subscribe&hub.challenge=1&hub.verify_token=${'x'.repeat(5000)}`,
    ]) {
      const res = await handshake(t, query)
      expect(res.statusCode, query.slice(0, 80)).toBe(400)
      expectErrorBody(res, 'VALIDATION')
      expect(res.body).not.toContain(VERIFY_TOKEN)
    }
  })
})

describe('bodies that are empty, odd or hostile', () => {
  let server: TestServer | undefined
  afterEach(async () => {
    await server?.close()
    server = undefined
  })

  it('answers a signed empty body 400 over real HTTP, with or without a content type, and an unsigned one 401', async () => {
    server = await startTestServer()
    const signature = signMeta(DEMO_SECRET, '')
    const variants: Record<string, string>[] = [
      { 'content-type': 'application/json' },
      { 'content-type': 'application/json', 'content-length': '0' },
      {},
      { 'content-length': '0' },
    ]
    for (const headers of variants) {
      const res = await fetch(`${server.url}/webhooks/meta`, { method: 'POST', headers: { ...headers, 'x-hub-signature-256': signature } })
      expect(res.status, JSON.stringify(headers)).toBe(400)
      expect((await res.json()).error).toMatchObject({ code: 'VALIDATION', requestId: expect.any(String) })
    }
    const unsigned = await fetch(`${server.url}/webhooks/meta`, { method: 'POST', headers: { 'content-type': 'application/json' } })
    expect(unsigned.status).toBe(401)
    expect((server.db.$client.prepare('SELECT count(*) AS n FROM deliveries').get() as { n: number }).n).toBe(0)
  })

  it('accepts a signed delivery sent without a content type', async () => {
    server = await startTestServer()
    const body = instagram(directEntry(IG, '6123456789012345', 'mid-no-type', 'tanpa content-type'))
    const res = await fetch(`${server.url}/webhooks/meta`, {
      method: 'POST',
      headers: { 'x-hub-signature-256': signMeta(DEMO_SECRET, body) },
      body: Buffer.from(body),
    })
    expect(res.status).toBe(200)
    await eventually(() => server!.db.$client.prepare("SELECT 1 FROM messages WHERE external_id = 'mid-no-type'").get())
  })

  it('answers 400 to signed JSON that is not an object and to a signature header sent twice, storing nothing', async () => {
    const t = await app()
    for (const body of ['[]', 'null', '"x"', '1', 'true', '[{"object":"page"}]', `${'['.repeat(50_000)}${']'.repeat(50_000)}`]) {
      const res = await post(t, body)
      expect(res.statusCode, body.slice(0, 20)).toBe(400)
      expectErrorBody(res, 'VALIDATION')
    }
    const body = instagram(directEntry(IG, '6123456789012345', 'mid-twice', 'dua tanda tangan'))
    const twice = await t.app.inject({
      method: 'POST',
      url: '/webhooks/meta',
      payload: body,
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': [signMeta(DEMO_SECRET, body), signMeta(DEMO_SECRET, body)] },
    })
    expect(twice.statusCode).toBe(401)
    expect(countRows(t, 'deliveries')).toBe(0)
  })

  it('never answers 5xx to deep nesting or huge numbers, signed by one app or by one of two, and keeps serving', async () => {
    for (const make of [app, twoApps]) {
      const t = await make()
      const deep = `{"object":"page","entry":[{"id":"${PAGE}","changes":${'['.repeat(20_000)}${']'.repeat(20_000)}}]}`
      const huge = `{"object":"instagram","entry":[{"id":${'9'.repeat(400)},"time":1e999,"messaging":[{"sender":{"id":-1e308},"recipient":{"id":"${IG}"},"timestamp":1e400,"message":{"mid":"mid-huge","text":"angka besar"}}]}]}`
      for (const body of [deep, huge]) expect((await post(t, body)).statusCode).toBeLessThan(500)
      await settled(t)
      expect(countRows(t, 'messages')).toBe(0)
      expect((await t.app.inject({ url: '/healthz' })).statusCode).toBe(200)
      await close?.()
      close = undefined
    }
  })
})

describe('signatures bound to the accounts a delivery addresses', () => {
  it('stores a delivery signed with its own account’s app secret, and it becomes that account’s item', async () => {
    const t = await twoApps()
    const res = await post(t, instagram(directEntry(IG_DPUPR, '6200000000000001', 'mid-own', 'Jalan Slawi–Procot berlubang')), DPUPR_SECRET)
    expect(res.statusCode).toBe(200)
    await settled(t)
    const [item] = rows<{ channel_id: number; kind: string }>(t, "SELECT channel_id, kind FROM items WHERE external_thread_id = '6200000000000001'")
    expect(item).toEqual({ channel_id: channelId(t, 'instagram', IG_DPUPR), kind: 'dm' })
    const dpupr = await signIn(t.app, 'dpupr')
    expect((await t.app.inject({ url: '/api/items', headers: dpupr.headers })).json().items).toHaveLength(1)
  })

  it('refuses (403) a delivery for an account signed with another channel’s app secret, and stores nothing', async () => {
    const t = await twoApps()
    // The demo app's secret (held by every other channel) for the DPUPR account, and the reverse.
    const forDpupr = await post(t, instagram(directEntry(IG_DPUPR, '6200000000000002', 'mid-forged-1', 'pesan palsu')))
    expect(forDpupr.statusCode).toBe(403)
    expectErrorBody(forDpupr, 'FORBIDDEN')
    expect((await post(t, instagram(directEntry(IG, '6200000000000003', 'mid-forged-2', 'pesan palsu')), DPUPR_SECRET)).statusCode).toBe(403)
    // Without entry.id the account is the message's recipient, as the job reads it.
    expect((await post(t, instagram(directEntry(IG_DPUPR, '6200000000000004', 'mid-forged-3', 'tanpa id', { withId: false })))).statusCode).toBe(403)
    // A Facebook Page and a WhatsApp number of the demo app, signed with DPUPR's secret.
    const page = JSON.stringify({
      object: 'page',
      entry: [
        {
          id: PAGE,
          time: T,
          messaging: [{ sender: { id: '7000000000000001' }, recipient: { id: PAGE }, timestamp: T, message: { mid: 'm_forged', text: 'palsu' } }],
        },
      ],
    })
    expect((await post(t, page, DPUPR_SECRET)).statusCode).toBe(403)
    const message = whatsapp({
      contacts: [{ profile: { name: 'Palsu' }, wa_id: '6281200000000' }],
      messages: [{ from: '6281200000000', id: 'wamid.forged', timestamp: String(T / 1000), type: 'text', text: { body: 'palsu' } }],
    })
    expect((await post(t, message, DPUPR_SECRET)).statusCode).toBe(403)
    // A forged "failed" status would fail one of the number's sent replies.
    const status = whatsapp({
      statuses: [
        {
          id: 'wamid.ours',
          status: 'failed',
          timestamp: String(T / 1000),
          recipient_id: '6281200000000',
          errors: [{ code: 131047, title: 'Re-engagement message' }],
        },
      ],
    })
    expect((await post(t, status, DPUPR_SECRET)).statusCode).toBe(403)
    expect(countRows(t, 'deliveries')).toBe(0)
  })

  it('refuses a batch that mixes an account of its app with one of another app, under either secret', async () => {
    const t = await twoApps()
    const mixed = instagram(directEntry(IG, '6200000000000005', 'mid-mixed-1', 'sah'), directEntry(IG_DPUPR, '6200000000000006', 'mid-mixed-2', 'palsu'))
    expect((await post(t, mixed)).statusCode).toBe(403)
    expect((await post(t, mixed, DPUPR_SECRET)).statusCode).toBe(403)
    expect(countRows(t, 'deliveries')).toBe(0)
  })

  it('keeps an entry for an account no channel knows beside a known one, flagged, and makes an item of the known one only', async () => {
    const t = await twoApps()
    const res = await post(
      t,
      instagram(directEntry(IG, '6200000000000007', 'mid-known', 'sah'), directEntry(UNKNOWN_IG, '6200000000000008', 'mid-unknown', 'akun belum terhubung')),
    )
    expect(res.statusCode).toBe(200)
    // Only unknown accounts, under the other app's secret: kept and flagged too.
    expect((await post(t, instagram(directEntry(UNKNOWN_IG, '6200000000000009', 'mid-unknown-2', 'lagi')), DPUPR_SECRET)).statusCode).toBe(200)
    await settled(t)
    expect(rows(t, 'SELECT external_thread_id FROM items')).toEqual([{ external_thread_id: '6200000000000007' }])
    expect(rows(t, 'SELECT flag, flag_detail FROM deliveries ORDER BY id')).toEqual([
      { flag: 'unknown_account', flag_detail: `instagram:${UNKNOWN_IG}` },
      { flag: 'unknown_account', flag_detail: `instagram:${UNKNOWN_IG}` },
    ])
  })

  it('refuses deliveries for a channel that has no app secret: nothing can speak for it', async () => {
    const t = await app()
    const admin = await signIn(t.app, 'superadmin')
    const patched = await t.app.inject({
      method: 'PATCH',
      url: `/api/admin/channels/${channelId(t, 'facebook', PAGE)}`,
      headers: admin.headers,
      payload: { secrets: { appSecret: null } },
    })
    expect(patched.statusCode).toBe(200)
    const page = JSON.stringify({
      object: 'page',
      entry: [
        {
          id: PAGE,
          time: T,
          messaging: [{ sender: { id: '7000000000000002' }, recipient: { id: PAGE }, timestamp: T, message: { mid: 'm_nosecret', text: 'halo' } }],
        },
      ],
    })
    expect((await post(t, page)).statusCode).toBe(403)
    // The other channels still share the demo app's secret.
    expect((await post(t, instagram(directEntry(IG, '6200000000000010', 'mid-still', 'masih jalan')))).statusCode).toBe(200)
    expect(countRows(t, 'deliveries')).toBe(1)
  })

  it('makes no item for a deactivated channel, whoever signed its delivery: it stays flagged for the superadmin', async () => {
    const t = await twoApps()
    const admin = await signIn(t.app, 'superadmin')
    const off = await t.app.inject({
      method: 'PATCH',
      url: `/api/admin/channels/${channelId(t, 'instagram', IG_DPUPR)}`,
      headers: admin.headers,
      payload: { active: false },
    })
    expect(off.statusCode).toBe(200)
    // The receiver no longer knows the account, so the demo app's secret passes it as unknown.
    expect((await post(t, instagram(directEntry(IG_DPUPR, '6200000000000011', 'mid-off', 'akun nonaktif')))).statusCode).toBe(200)
    await settled(t)
    expect(countRows(t, 'items')).toBe(0)
    expect(rows(t, 'SELECT flag, flag_detail FROM deliveries')).toEqual([{ flag: 'unknown_account', flag_detail: `instagram:${IG_DPUPR}` }])
  })

  it('refuses (400) a body of two apps’ channels that cannot be read at all, rather than guess whose it is', async () => {
    const t = await twoApps()
    const res = await post(t, JSON.stringify({ object: 'instagram', entry: [{ id: IG_DPUPR, messaging: [{ sender: {}, message: { text: 'tanpa mid' } }] }] }))
    expect(res.statusCode).toBe(400)
    expectErrorBody(res, 'VALIDATION')
    expect(countRows(t, 'deliveries')).toBe(0)
  })

  it('refuses a missing or wrong signature with 401', async () => {
    const t = await twoApps()
    const body = instagram(directEntry(IG, '6200000000000011', 'mid-unsigned', 'x'))
    expect((await post(t, body, null)).statusCode).toBe(401)
    expect((await post(t, body, 'rahasia-tebakan')).statusCode).toBe(401)
    expect((await post(t, body, null, { 'x-hub-signature-256': `${signMeta(DEMO_SECRET, body)}00` })).statusCode).toBe(401)
    expect(countRows(t, 'deliveries')).toBe(0)
  })
})
