// Channel settings (superadmin only): the role matrix, create/edit/list, write-only secrets (never in
// a response or the audit log), duplicates and bad input, the connection test against a local
// platform-like server, and deliveries flagged for accounts no channel knows.
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { LightMyRequestResponse } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_SECRETS } from '@tanggap/db/seed'
import type { AdminChannel, FlaggedDelivery } from '@tanggap/shared'
import { signMeta } from '../../server/src/connectors/meta/verify.ts'
import type { Connector } from '../../server/src/connectors/types.ts'
import type { Ctx } from '../../server/src/lib/context.ts'
import { channelsService } from '../../server/src/modules/channels/channels.service.ts'
import { quotaDay, quotaRepo } from '../../server/src/modules/channels/quota.repo.ts'
import { createTestApp, eventually, opdId, signIn, type SignedIn, type TestApp } from '../helpers/app.ts'

// ---- a local server that answers like the Graph API: GET /{id}?fields=name,id ----
const PAGE_NAME = 'Pemkab Tegal (uji koneksi)'
const GOOD_TOKEN = 'graph-good-access-token-7f3a'
interface GraphHit {
  url: string
  authorization: string | undefined
}
const graphHits: GraphHit[] = []

function tokenOf(req: IncomingMessage): string | null {
  const url = new URL(req.url ?? '/', 'http://x')
  const auth = req.headers.authorization
  return url.searchParams.get('access_token') ?? (auth?.startsWith('Bearer ') ? auth.slice(7) : null)
}

function startGraph(): Promise<Server> {
  const server = createServer((req, res) => {
    graphHits.push({ url: req.url ?? '', authorization: req.headers.authorization })
    res.setHeader('content-type', 'application/json')
    if (tokenOf(req) !== GOOD_TOKEN) {
      res.statusCode = 400
      res.end(
        JSON.stringify({ error: { message: 'Invalid OAuth access token - Cannot parse access token', type: 'OAuthException', code: 190, fbtrace_id: 'Azz' } }),
      )
      return
    }
    // The last path segment is the id asked for (/me, /{page-id}, /{phone-number-id}).
    const id = new URL(req.url ?? '/', 'http://x').pathname.split('/').filter(Boolean).pop() ?? 'me'
    res.end(JSON.stringify({ name: PAGE_NAME, id, verified_name: PAGE_NAME, display_phone_number: '+62 812-0000-0000', username: 'pemkabtegal' }))
  })
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)))
}

let graph: Server
let t: TestApp
let admin: SignedIn
let supervisor: SignedIn
let opdAdmin: SignedIn
/** Every response body this file receives, searched for secret values at the end. */
const seen: string[] = []
/** Every secret value this file sends (except Meta verify tokens, which are shown on purpose). */
const secretValues = new Set<string>()

beforeAll(async () => {
  graph = await startGraph()
  const graphUrl = `http://127.0.0.1:${(graph.address() as AddressInfo).port}`
  t = await createTestApp({
    env: { PUBLIC_URL: 'https://tanggap.tegalkab.go.id', FACEBOOK_API_URL: graphUrl, INSTAGRAM_API_URL: graphUrl, WHATSAPP_API_URL: graphUrl },
  })
  ;[admin, supervisor, opdAdmin] = await Promise.all([signIn(t.app, 'superadmin'), signIn(t.app, 'prokompim'), signIn(t.app, 'dukcapil')])
})

afterAll(async () => {
  await t.close()
  await new Promise((r) => graph.close(r))
})

type Method = 'GET' | 'POST' | 'PATCH'
async function call(method: Method, url: string, who: SignedIn | null, payload?: unknown): Promise<LightMyRequestResponse> {
  const res = await t.app.inject({
    method,
    url,
    headers: who?.headers ?? {},
    ...(payload !== undefined ? { payload: payload as object } : method === 'GET' ? {} : { payload: {} }),
  })
  seen.push(res.body)
  return res
}

const secret = (label: string) => {
  const v = `${label}-${Math.random().toString(36).slice(2)}-${Date.now().toString(36)}`
  secretValues.add(v)
  return v
}

async function createChannel(body: Record<string, unknown>, who = admin): Promise<LightMyRequestResponse> {
  return call('POST', '/api/admin/channels', who, body)
}

const auditRows = (entityId?: number) =>
  t.db.$client
    .prepare(
      `SELECT action, actor, before, after, request_id AS requestId FROM audit_log WHERE entity = 'channel' ${entityId ? 'AND entity_id = ?' : ''} ORDER BY id`,
    )
    .all(...(entityId ? [String(entityId)] : [])) as { action: string; actor: string; before: string | null; after: string | null }[]

describe('who may use the channel settings', () => {
  it('superadmin only: supervisor and OPD admin get 403, signed out 401, a missing CSRF token 403', async () => {
    const fb = (await call('GET', '/api/admin/channels', admin)).json<AdminChannel[]>().find((c) => c.platform === 'facebook')!
    const routes: [Method, string, unknown?][] = [
      ['GET', '/api/admin/channels'],
      ['GET', `/api/admin/channels/${fb.id}`],
      ['POST', '/api/admin/channels', { platform: 'x', accountId: '1999', name: 'X baru', opdId: opdId(t, 'diskominfo') }],
      ['PATCH', `/api/admin/channels/${fb.id}`, { name: 'Diubah' }],
      ['POST', `/api/admin/channels/${fb.id}/test`],
      ['GET', '/api/admin/deliveries/flagged'],
    ]
    for (const [method, url, body] of routes) {
      expect((await call(method, url, null, body)).statusCode, `${method} ${url} signed out`).toBe(401)
      expect((await call(method, url, supervisor, body)).statusCode, `${method} ${url} supervisor`).toBe(403)
      expect((await call(method, url, opdAdmin, body)).statusCode, `${method} ${url} opd_admin`).toBe(403)
    }
    // Nothing above changed anything.
    expect(auditRows()).toEqual([])
    expect((await call('GET', `/api/admin/channels/${fb.id}`, admin)).json()).toMatchObject({ name: fb.name })

    expect((await call('GET', '/api/admin/channels', admin)).statusCode).toBe(200)
    expect((await call('GET', '/api/admin/deliveries/flagged', admin)).statusCode).toBe(200)
    const noCsrf = await t.app.inject({
      method: 'PATCH',
      url: `/api/admin/channels/${fb.id}`,
      headers: { cookie: admin.cookie },
      payload: { name: 'Tanpa CSRF' },
    })
    expect(noCsrf.statusCode).toBe(403)
    expect(noCsrf.json().error.code).toBe('CSRF')
  })
})

describe('listing the seeded channels', () => {
  it('shows platform, account, OPD, secret names, webhook URLs and the Meta verify token', async () => {
    const list = (await call('GET', '/api/admin/channels', admin)).json<AdminChannel[]>()
    const by = (p: string) => list.find((c) => c.platform === p)!
    expect(list.map((c) => c.platform)).toEqual(['website', 'whatsapp', 'facebook', 'instagram', 'instagram', 'telegram', 'tiktok', 'x', 'youtube'])
    expect(by('website')).toMatchObject({ webhookUrl: null, verifyToken: null, secretsSet: [], active: true, opd: { code: 'prokompim' } })
    expect(by('facebook')).toMatchObject({
      accountId: '102030405060708',
      webhookUrl: 'https://tanggap.tegalkab.go.id/webhooks/meta',
      verifyToken: DEMO_SECRETS.meta.verifyToken,
      secretsSet: ['accessToken', 'appSecret', 'verifyToken'],
      lastError: null,
    })
    expect(by('telegram')).toMatchObject({
      webhookUrl: 'https://tanggap.tegalkab.go.id/webhooks/telegram/7000000001',
      verifyToken: null,
      secretsSet: ['botToken', 'secretToken'],
    })
    expect(by('tiktok').webhookUrl).toBe('https://tanggap.tegalkab.go.id/webhooks/tiktok')
    expect(by('x').webhookUrl).toBe('https://tanggap.tegalkab.go.id/webhooks/x')
    expect(by('youtube')).toMatchObject({ webhookUrl: null, verifyToken: null, secretsSet: ['accessToken'] })
    const body = JSON.stringify(list)
    for (const v of [
      DEMO_SECRETS.meta.appSecret,
      DEMO_SECRETS.meta.accessToken,
      DEMO_SECRETS.telegram.botToken,
      DEMO_SECRETS.telegram.secretToken,
      DEMO_SECRETS.x.consumerSecret,
      DEMO_SECRETS.x.accessToken,
      DEMO_SECRETS.tiktok.clientSecret,
      DEMO_SECRETS.tiktok.accessToken,
      DEMO_SECRETS.youtube.accessToken,
    ]) {
      expect(body).not.toContain(v)
    }
  })
})

describe('creating and editing channels', () => {
  it('creates a channel with sealed secrets, lists it, edits it, and audits every change without a secret', async () => {
    const appSecret = secret('app-secret')
    const accessToken = secret('access-token')
    const res = await createChannel({
      platform: 'instagram',
      accountId: '17841400000000077',
      name: '  Instagram @dishub.tegalkab ',
      opdId: opdId(t, 'dishub'),
      secrets: { appSecret, accessToken: `  ${accessToken}\n` },
    })
    expect(res.statusCode).toBe(201)
    const created = res.json<AdminChannel>()
    expect(created).toMatchObject({
      platform: 'instagram',
      accountId: '17841400000000077',
      name: 'Instagram @dishub.tegalkab',
      active: true,
      opd: { id: opdId(t, 'dishub'), code: 'dishub' },
      secretsSet: ['accessToken', 'appSecret', 'verifyToken'],
      webhookUrl: 'https://tanggap.tegalkab.go.id/webhooks/meta',
      lastDeliveryAt: null,
      lastError: null,
      quota: null,
    })
    // No verify token given: one was made, long and random, and is shown for Meta's dashboard.
    expect(created.verifyToken).toMatch(/^[A-Za-z0-9_-]{32,}$/)

    // At rest: sealed (no plaintext in the row), opening gives the trimmed values.
    const raw = t.db.$client.prepare('SELECT credentials FROM channels WHERE id = ?').get(created.id) as { credentials: string }
    expect(raw.credentials).toMatch(/^v1\./)
    expect(raw.credentials).not.toContain(accessToken)
    const repo = t.app.services.repos.channels
    expect(repo.open(repo.byId(created.id)!).credentials).toEqual({ appSecret, accessToken, verifyToken: created.verifyToken })

    const list = (await call('GET', '/api/admin/channels', admin)).json<AdminChannel[]>()
    expect(list.find((c) => c.id === created.id)).toEqual(created)

    // Edit: rename, move OPD, replace one secret, remove another, leave the third alone.
    const newToken = secret('access-token-2')
    const patched = await call('PATCH', `/api/admin/channels/${created.id}`, admin, {
      name: 'Instagram @dishub',
      opdId: opdId(t, 'diskominfo'),
      secrets: { accessToken: newToken, appSecret: null },
    })
    expect(patched.statusCode).toBe(200)
    expect(patched.json()).toMatchObject({
      name: 'Instagram @dishub',
      opd: { code: 'diskominfo' },
      secretsSet: ['accessToken', 'verifyToken'],
      verifyToken: created.verifyToken,
    })
    expect(repo.open(repo.byId(created.id)!).credentials).toEqual({ accessToken: newToken, verifyToken: created.verifyToken })

    // An empty string keeps a secret; deactivating is an edit like any other.
    const kept = await call('PATCH', `/api/admin/channels/${created.id}`, admin, { active: false, secrets: { accessToken: '' } })
    expect(kept.json()).toMatchObject({ active: false, secretsSet: ['accessToken', 'verifyToken'] })
    expect(repo.open(repo.byId(created.id)!).credentials.accessToken).toBe(newToken)

    // A no-op edit changes nothing and is not audited.
    expect((await call('PATCH', `/api/admin/channels/${created.id}`, admin, { active: false })).statusCode).toBe(200)

    const audit = auditRows(created.id)
    expect(audit.map((r) => r.action)).toEqual(['channel.create', 'channel.update', 'channel.update'])
    expect(JSON.parse(audit[0]!.after!)).toEqual({
      platform: 'instagram',
      accountId: '17841400000000077',
      name: 'Instagram @dishub.tegalkab',
      opdId: opdId(t, 'dishub'),
      active: true,
      secretsSet: ['accessToken', 'appSecret', 'verifyToken'],
    })
    expect(JSON.parse(audit[1]!.before!)).toMatchObject({
      name: 'Instagram @dishub.tegalkab',
      opdId: opdId(t, 'dishub'),
      secretsSet: ['accessToken', 'appSecret', 'verifyToken'],
    })
    expect(JSON.parse(audit[1]!.after!)).toMatchObject({
      name: 'Instagram @dishub',
      opdId: opdId(t, 'diskominfo'),
      secretsSet: ['accessToken', 'verifyToken'],
      secretsChanged: ['accessToken', 'appSecret'],
    })
    expect(JSON.parse(audit[2]!.after!)).toMatchObject({ active: false })
    expect(audit[0]!.actor).toMatch(/^user:\d+$/)
    // The audit log never holds a secret, not even the shown verify token.
    const auditJson = JSON.stringify(auditRows())
    for (const v of [...secretValues, created.verifyToken!]) expect(auditJson).not.toContain(v)
  })

  it('makes receivers see a change at once: the Meta handshake accepts a new verify token and stops when the channel is off', async () => {
    const created = (
      await createChannel({
        platform: 'facebook',
        accountId: '556677889900',
        name: 'Facebook Dinkes',
        opdId: opdId(t, 'dinkes'),
        secrets: { appSecret: secret('fb-app') },
      })
    ).json<AdminChannel>()
    const handshake = (token: string) =>
      t.app.inject({ url: `/webhooks/meta?hub.mode=subscribe&hub.verify_token=${encodeURIComponent(token)}&hub.challenge=1158201444` })
    // Prime the receivers' cache before the change, so a stale cache would show.
    expect((await handshake('not-a-token')).statusCode).toBe(403)
    const ok = await handshake(created.verifyToken!)
    expect(ok.statusCode).toBe(200)
    expect(ok.body).toBe('1158201444')

    // Rotating the token (null on a Meta channel makes a new one): the old one stops working at once.
    const rotated = (await call('PATCH', `/api/admin/channels/${created.id}`, admin, { secrets: { verifyToken: null } })).json<AdminChannel>()
    expect(rotated.verifyToken).toMatch(/^[A-Za-z0-9_-]{32,}$/)
    expect(rotated.verifyToken).not.toBe(created.verifyToken)
    expect((await handshake(created.verifyToken!)).statusCode).toBe(403)
    expect((await handshake(rotated.verifyToken!)).statusCode).toBe(200)

    await call('PATCH', `/api/admin/channels/${created.id}`, admin, { active: false })
    expect((await handshake(rotated.verifyToken!)).statusCode).toBe(403)
  })

  it('keeps a given verify token and accepts the other platforms’ secrets', async () => {
    const verifyToken = 'token-dari-superadmin-123'
    const wa = await createChannel({
      platform: 'whatsapp',
      accountId: '106540352242999',
      name: 'WA Dinsos',
      opdId: opdId(t, 'dinsos'),
      secrets: { verifyToken, accessToken: secret('wa') },
    })
    expect(wa.statusCode).toBe(201)
    expect(wa.json()).toMatchObject({ verifyToken, secretsSet: ['accessToken', 'verifyToken'] })

    const botToken = `7000000099:${secret('AAbotTokenValue_0123456789')}`
    secretValues.add(botToken)
    const tg = await createChannel({
      platform: 'telegram',
      accountId: '7000000099',
      name: 'Telegram @DinsosTegalBot',
      opdId: opdId(t, 'dinsos'),
      secrets: { botToken, secretToken: secret('tg_secret') },
      active: false,
    })
    expect(tg.statusCode).toBe(201)
    expect(tg.json()).toMatchObject({
      active: false,
      verifyToken: null,
      webhookUrl: 'https://tanggap.tegalkab.go.id/webhooks/telegram/7000000099',
      secretsSet: ['botToken', 'secretToken'],
    })

    const yt = await createChannel({
      platform: 'youtube',
      accountId: 'UCdinsos-tegal_0000000000',
      name: 'YouTube Dinsos',
      opdId: opdId(t, 'dinsos'),
      secrets: { accessToken: secret('yt') },
    })
    expect(yt.statusCode).toBe(201)
    expect(yt.json()).toMatchObject({ webhookUrl: null, verifyToken: null })
  })
})

describe('duplicates and bad input', () => {
  it('409 for an account that already has a channel, and for a second website channel', async () => {
    const dup = await createChannel({ platform: 'facebook', accountId: '102030405060708', name: 'Lagi', opdId: opdId(t, 'prokompim') })
    expect(dup.statusCode).toBe(409)
    expect(dup.json().error).toMatchObject({ code: 'CONFLICT', fields: ['accountId'] })
    const web = await createChannel({ platform: 'website', accountId: 'lain.tegalkab.go.id', name: 'Formulir kedua', opdId: opdId(t, 'prokompim') })
    expect(web.statusCode).toBe(409)
    expect(web.json().error.fields).toEqual(['platform'])
    // The same account id on another platform is a different account.
    expect((await createChannel({ platform: 'x', accountId: '102030405060708', name: 'X Pemkab', opdId: opdId(t, 'prokompim') })).statusCode).toBe(201)
  })

  it('400 naming the field, and nothing is stored', async () => {
    const before = (t.db.$client.prepare('SELECT count(*) AS n FROM channels').get() as { n: number }).n
    const dishub = opdId(t, 'dishub')
    const cases: [Record<string, unknown>, string[]][] = [
      [{ platform: 'x', accountId: '42', name: 'X', opdId: 99_999 }, ['opdId']],
      [{ platform: 'x', accountId: '42', opdId: dishub }, ['name']],
      [{ platform: 'x', accountId: '42', name: '   ', opdId: dishub }, ['name']],
      [{ platform: 'myspace', accountId: '42', name: 'M', opdId: dishub }, ['platform']],
      [{ platform: 'x', accountId: 'has space', name: 'X', opdId: dishub }, ['accountId']],
      [{ platform: 'instagram', accountId: '@dishub.tegalkab', name: 'IG', opdId: dishub }, ['accountId']],
      [{ platform: 'x', accountId: '42', name: 'X', opdId: dishub, secrets: { botToken: 'x' } }, ['secrets.botToken']],
      [{ platform: 'x', accountId: '42', name: 'X', opdId: dishub, secrets: { password: 'x' } }, ['secrets.password']],
      [{ platform: 'x', accountId: '42', name: 'X', opdId: dishub, secrets: { accessToken: 'a'.repeat(4097) } }, ['secrets.accessToken']],
      [{ platform: 'x', accountId: '42', name: 'X', opdId: dishub, secrets: { accessToken: 42 } }, ['secrets.accessToken']],
      [
        { platform: 'telegram', accountId: '7000000055', name: 'TG', opdId: dishub, secrets: { botToken: '7000000001:AAAAAAAAAAAAAAAAAAAAAAAAAAAA' } },
        ['secrets.botToken'],
      ],
      [{ platform: 'telegram', accountId: '7000000055', name: 'TG', opdId: dishub, secrets: { secretToken: 'bad token!' } }, ['secrets.secretToken']],
      [{ platform: 'x', accountId: '42', name: 'X', opdId: dishub, active: 'yes' }, ['active']],
      [{ platform: 'x', accountId: '42', name: 'X', opdId: dishub, extra: 1 }, ['extra']],
    ]
    for (const [body, fields] of cases) {
      const res = await createChannel(body)
      expect(res.statusCode, JSON.stringify(body).slice(0, 200)).toBe(400)
      expect(res.json().error.code).toBe('VALIDATION')
      expect(res.json().error.fields, JSON.stringify(body).slice(0, 200)).toEqual(fields)
    }
    expect((t.db.$client.prepare('SELECT count(*) AS n FROM channels').get() as { n: number }).n).toBe(before)

    const fb = (await call('GET', '/api/admin/channels', admin)).json<AdminChannel[]>().find((c) => c.platform === 'facebook')!
    const bad = await call('PATCH', `/api/admin/channels/${fb.id}`, admin, { opdId: 99_999, name: 'x' })
    expect(bad.statusCode).toBe(400)
    expect(bad.json().error.fields).toEqual(['opdId'])
    expect((await call('PATCH', `/api/admin/channels/${fb.id}`, admin, { platform: 'x' })).json().error.fields).toEqual(['platform'])
    expect((await call('PATCH', `/api/admin/channels/${fb.id}`, admin, { secrets: { botToken: 'x' } })).json().error.fields).toEqual(['secrets.botToken'])
    expect((await call('PATCH', '/api/admin/channels/99999', admin, { name: 'x' })).statusCode).toBe(404)
    expect((await call('POST', '/api/admin/channels/99999/test', admin)).statusCode).toBe(404)
    expect((await call('GET', '/api/admin/deliveries/flagged?limit=0', admin)).json().error.fields).toEqual(['limit'])
    expect((await call('GET', `/api/admin/channels/${fb.id}`, admin)).json()).toMatchObject({ name: fb.name, opd: fb.opd })
  })
})

describe('testing a connection', () => {
  it('calls the platform with the channel’s token and records the outcome as the last error', async () => {
    const accessToken = secret('bad-token')
    const created = (
      await createChannel({
        platform: 'facebook',
        accountId: '998877665544',
        name: 'Facebook Uji',
        opdId: opdId(t, 'dishub'),
        secrets: { accessToken, appSecret: secret('fb') },
      })
    ).json<AdminChannel>()

    // A wrong token: the platform says so, the channel shows the error.
    graphHits.length = 0
    const failed = await call('POST', `/api/admin/channels/${created.id}/test`, admin)
    expect(failed.statusCode).toBe(200)
    expect(failed.json()).toMatchObject({ ok: false })
    expect(failed.json().detail).not.toMatch(/belum tersedia/)
    expect(graphHits.length).toBeGreaterThan(0)
    expect(graphHits.map((h) => `${h.url} ${h.authorization ?? ''}`).join('\n')).toContain(accessToken)
    const afterFail = (await call('GET', `/api/admin/channels/${created.id}`, admin)).json<AdminChannel>()
    expect(afterFail.lastError).toBe(failed.json().detail)
    expect(afterFail.lastErrorAt).toBeGreaterThan(Date.now() - 60_000)

    // The right token: ok with what the platform answered, and the error is cleared.
    await call('PATCH', `/api/admin/channels/${created.id}`, admin, { secrets: { accessToken: GOOD_TOKEN } })
    const passed = await call('POST', `/api/admin/channels/${created.id}/test`, admin)
    expect(passed.json()).toMatchObject({ ok: true })
    expect(passed.json().detail).toContain(PAGE_NAME)
    expect((await call('GET', `/api/admin/channels/${created.id}`, admin)).json()).toMatchObject({ lastError: null, lastErrorAt: null })
  })

  it('says "belum tersedia" for a platform without a connection test', async () => {
    const website = (await call('GET', '/api/admin/channels', admin)).json<AdminChannel[]>().find((c) => c.platform === 'website')!
    const res = await call('POST', `/api/admin/channels/${website.id}/test`, admin)
    expect(res.json()).toMatchObject({ ok: false })
    expect(res.json().detail).toContain('belum tersedia')
  })

  it('turns a thrown error into ok:false with its message (secrets masked), and honours a time limit', async () => {
    const leak = secret('leaky-token')
    const created = (
      await createChannel({ platform: 'tiktok', accountId: 'biz-open-id_01', name: 'TikTok Uji', opdId: opdId(t, 'dishub'), secrets: { accessToken: leak } })
    ).json<AdminChannel>()
    const calls: string[] = []
    const fake: Connector = {
      platforms: ['tiktok'],
      normalize: () => [],
      testConnection: async (channel, apiBase, fetchFn) => {
        calls.push(apiBase)
        if (channel.credentials.accessToken === leak) throw new Error(`request to ${apiBase}/me?access_token=${leak} failed: 401 Unauthorized`)
        await fetchFn(`${apiBase}/slow`)
        return 'never'
      },
      dailyQuota: 10_000,
      quotaTimeZone: 'America/Los_Angeles',
    }
    const service = channelsService({
      db: t.db,
      channels: t.app.services.repos.channels,
      opds: t.app.services.repos.opds,
      quota: quotaRepo(t.db),
      config: t.config,
      clock: Date.now,
      connectorFor: (p) => (p === 'tiktok' ? fake : undefined),
      // A platform that never answers.
      fetch: (_url, init) => new Promise((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal!.reason))),
      testTimeoutMs: 200,
    })
    const ctx: Ctx = { actor: { kind: 'system' }, requestId: 'test', log: t.app.log }

    const thrown = await service.test(ctx, created.id)
    expect(thrown.ok).toBe(false)
    expect(thrown.detail).toContain('401 Unauthorized')
    expect(thrown.detail).not.toContain(leak)
    expect(calls).toEqual([t.config.platformApi.tiktok])
    expect(service.get(created.id).lastError).toBe(thrown.detail)

    service.update(ctx, created.id, { secrets: { accessToken: 'another-token-value' } })
    const slow = await service.test(ctx, created.id)
    expect(slow).toEqual({ ok: false, detail: 'Platform tidak menjawab dalam 1 detik' })

    // Platforms with a daily quota show what today used (in the platform's quota day).
    quotaRepo(t.db).add(created.id, quotaDay(Date.now(), 'America/Los_Angeles'), 1234)
    expect(service.get(created.id).quota).toEqual({ usedToday: 1234, limit: 10_000 })
    expect(service.list().find((c) => c.id === created.id)!.quota).toEqual({ usedToday: 1234, limit: 10_000 })
  })
})

describe('deliveries for unknown accounts', () => {
  it('lists a signed Meta delivery for a page no channel knows, without its body, and processes it once the channel exists', async () => {
    const pageId = '909090909090909'
    const text = `Komentar untuk halaman yang belum terdaftar ${Date.now()}`
    const body = JSON.stringify({
      object: 'page',
      entry: [
        {
          id: pageId,
          time: Math.floor(Date.now() / 1000),
          changes: [
            {
              field: 'feed',
              value: {
                item: 'comment',
                verb: 'add',
                comment_id: `${pageId}_1_2`,
                post_id: `${pageId}_1`,
                parent_id: `${pageId}_1`,
                from: { id: '5550001', name: 'Warga Slawi' },
                created_time: Math.floor(Date.now() / 1000),
                message: text,
              },
            },
          ],
        },
      ],
    })
    const posted = await t.app.inject({
      method: 'POST',
      url: '/webhooks/meta',
      payload: Buffer.from(body),
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': signMeta(DEMO_SECRETS.meta.appSecret, body) },
    })
    expect(posted.statusCode).toBe(200)
    await t.jobs.idle()

    const res = await call('GET', '/api/admin/deliveries/flagged', admin)
    expect(res.statusCode).toBe(200)
    const list = res.json<FlaggedDelivery[]>()
    const mine = list.find((f) => f.flagDetail?.includes(pageId))
    expect(mine, JSON.stringify(t.db.$client.prepare('SELECT id, state, error, flag FROM deliveries ORDER BY id DESC LIMIT 1').get())).toBeDefined()
    expect(mine).toMatchObject({
      platform: 'facebook',
      flag: 'unknown_account',
      bytes: Buffer.byteLength(body),
      accounts: [{ platform: 'facebook', accountId: pageId, known: false }],
    })
    expect(Object.keys(mine!).sort((a, b) => a.localeCompare(b))).toEqual(['accounts', 'bytes', 'flag', 'flagDetail', 'id', 'platform', 'receivedAt'])
    expect(res.body).not.toContain(text)
    expect(list[0]!.id).toBe(Math.max(...list.map((f) => f.id)))

    // The superadmin adds the missing channel: the kept delivery is processed and the citizen's comment reaches the inbox.
    expect((await createChannel({ platform: 'facebook', accountId: pageId, name: 'Facebook Kecamatan Slawi', opdId: opdId(t, 'dishub') })).statusCode).toBe(201)
    await eventually(() => (t.db.$client.prepare('SELECT state FROM deliveries WHERE id = ?').get(mine!.id) as { state: string }).state === 'processed')
    await t.jobs.idle()
    const again = (await call('GET', '/api/admin/deliveries/flagged?limit=5', admin)).json<FlaggedDelivery[]>()
    expect(again.find((f) => f.id === mine!.id)).toBeUndefined()
    const item = t.db.$client
      .prepare("SELECT i.opd_id AS opdId, m.text FROM items i JOIN messages m ON m.item_id = i.id WHERE i.platform = 'facebook' AND m.text = ?")
      .get(text)
    expect(item).toEqual({ opdId: opdId(t, 'dishub'), text })
  })
})

describe('write-only secrets', () => {
  it('no response of this file and no audit row holds a secret value', () => {
    expect(secretValues.size).toBeGreaterThan(5)
    const everything = seen.join('\n')
    const audit = JSON.stringify(t.db.$client.prepare('SELECT * FROM audit_log').all())
    for (const v of secretValues) {
      expect(everything).not.toContain(v)
      expect(audit).not.toContain(v)
    }
  })
})
