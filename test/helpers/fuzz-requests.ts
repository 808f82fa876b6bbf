// Malformed requests for the fuzz test and bench (fast-check arbitraries): the public form, the
// status routes, every webhook receiver (unsigned, and signed with the demo channels' secrets so
// mutated platform payloads reach the normalizers and the queued job), odd methods and paths, and
// websocket upgrade requests. A request is plain data, so it can be printed and replayed.
import fc from 'fast-check'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { DEMO_CHANNELS, DEMO_SECRETS } from '@tanggap/db/seed'
import { TOPICS } from '@tanggap/shared'
import { signMeta } from '../../server/src/connectors/meta/verify.ts'
import { TELEGRAM_SECRET_HEADER } from '../../server/src/connectors/telegram/verify.ts'
import { signTiktok } from '../../server/src/connectors/tiktok/verify.ts'
import { signX } from '../../server/src/connectors/x/verify.ts'
import { BAD_UTF8, EDGE_CHARS, frame, framingArb, hostileString, hostileValue, mutate, mutationArb, withOwnKey } from './fuzz-values.ts'

export interface FuzzRequest {
  /** What it aims at, for the summary (e.g. 'form', 'meta.post.signed', 'ws'). */
  target: string
  method: string
  /** Path and query, already percent-encoded as sent. `{code}` is replaced by a tracking code issued earlier in the run. */
  url: string
  headers: Record<string, string | string[]>
  body?: Buffer
  /** Signed just before sending (TikTok's signature covers the time): which scheme, and how far off the signed time is. */
  sign?: { scheme: 'meta' | 'x' | 'tiktok'; secret: string; skewSeconds?: number }
  /** The client's address (the status routes are rate-limited per address). */
  ip: string
  /** A question whose honeypot is filled: its 201 is a decoy with no question behind it. */
  honeypot?: boolean
}

export const CODE_PLACEHOLDER = '{code}'
const PAGE = DEMO_CHANNELS.find((c) => c.platform === 'facebook')!.accountId
const BOT = DEMO_CHANNELS.find((c) => c.platform === 'telegram')!.accountId
const X_ACCOUNT = DEMO_CHANNELS.find((c) => c.platform === 'x')!.accountId
const ACCOUNTS = DEMO_CHANNELS.map((c) => c.accountId)

// ---- pieces ----

/** Percent-encodes a string's UTF-8 bytes (lone surrogates become U+FFFD, as a browser would send them). */
export const pct = (s: string) =>
  [...Buffer.from(s, 'utf8')]
    .map((b) => (/[A-Za-z0-9._~-]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`))
    .join('')

/** A query or path segment: well encoded, invalid UTF-8 when decoded, or broken percent-encoding. */
const segment = fc.oneof(
  { weight: 5, arbitrary: hostileString.filter((s) => s.length < 5000).map(pct) },
  { weight: 1, arbitrary: fc.constantFrom(...BAD_UTF8).map((b) => [...b].map((x) => `%${x.toString(16).toUpperCase()}`).join('')) },
  { weight: 1, arbitrary: fc.constantFrom('%', '%z', '%E0%A4%A', '%00', '%2e%2e%2f', '..', '%252e', '+', '%2B', '&', '=', '%3D%3D') },
)

/** A header value Node's HTTP parser would accept (tab, printable ASCII, bytes 0x80-0xff read as latin1). */
const headerValue = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: fc.constantFrom(...'abcXYZ019 =;,:/"\'\\<>{}[]()?*%\t'), maxLength: 60 }) },
  { weight: 1, arbitrary: fc.constantFrom('', ' ', 'null', 'undefined', '[object Object]', 'é', 'Ã©', '\u00ff\u00fe', 'x'.repeat(8000)) },
)

/** Headers any request may carry on top of its own: spoofed forwarding, odd encodings, junk request ids. */
const oddHeaders = fc.dictionary(
  fc.constantFrom(
    'x-forwarded-for',
    'x-forwarded-proto',
    'x-forwarded-host',
    'x-request-id',
    'accept',
    'accept-encoding',
    'content-encoding',
    'accept-language',
    'user-agent',
    'range',
    'if-none-match',
    'x-http-method-override',
    'cookie',
    'origin',
    'referer',
    'expect',
  ),
  headerValue,
  { maxKeys: 3 },
)

const contentType = fc.oneof(
  { weight: 8, arbitrary: fc.constant('application/json') },
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      'application/json; charset=utf-8',
      'application/json; charset=utf-16',
      'application/json; charset=latin1',
      'APPLICATION/JSON',
      'application/json;',
      'application/json ; x=y',
      'application/jsonx',
      'application/ld+json',
      'application/*',
    ),
  },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/xml',
      'application/octet-stream',
      '*/*',
      '',
      ';',
      'json',
      'text/html; charset=utf-8',
    ),
  },
  { weight: 1, arbitrary: fc.constant(undefined) },
)

const ODD_METHODS = ['PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD', 'TRACE', 'PROPFIND', 'SEARCH', 'QUERY', 'MKCOL', 'LOCK', 'GET', 'POST'] as const

const ip = fc.tuple(fc.integer({ min: 1, max: 250 }), fc.nat(255), fc.nat(255)).map(([a, b, c]) => `10.${a}.${b}.${c}`)

/** One value, or the same name repeated (`?a=1&a=2`). */
const repeated = <T>(arb: fc.Arbitrary<T>) =>
  fc.oneof({ weight: 4, arbitrary: arb.map((v) => [v]) }, { weight: 1, arbitrary: fc.array(arb, { minLength: 2, maxLength: 3 }) })

const query = (params: [string, string[] | undefined][]) => {
  const parts = params.flatMap(([k, vs]) => (vs ?? []).map((v) => `${k}=${v}`))
  return parts.length ? `?${parts.join('&')}` : ''
}

/** A value one time in `n`, else null. */
const sometimes = <T>(n: number, arb: fc.Arbitrary<T>) => fc.oneof({ weight: n - 1, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: arb })

/** Optional extras on any request: another method, other headers, a repeated query parameter. */
function roughen(arb: fc.Arbitrary<FuzzRequest>): fc.Arbitrary<FuzzRequest> {
  return fc
    .tuple(
      arb,
      fc.option(oddHeaders, { freq: 2 }),
      sometimes(12, fc.constantFrom(...ODD_METHODS)),
      sometimes(10, fc.tuple(fc.constantFrom('a', 'limit', '__proto__', 'constructor[prototype]'), segment)),
    )
    .map(([req, extra, method, param]) => ({
      ...req,
      method: method ?? req.method,
      url: param ? `${req.url}${req.url.includes('?') ? '&' : '?'}${param[0]}=${param[1]}&${param[0]}=${param[1]}` : req.url,
      headers: { ...(extra ?? {}), ...req.headers },
    }))
}

// ---- the public form ----

const NAMES = ['Ani', 'Sri Wahyuni', 'Dédé Ñurhasanah 🌸', 'Bpk. Rohman', 'Mas Wédhus Adiwérna 🐐']
const TEXTS = [
  'Min, jalan di Desa Pesarean rusak parah, kapan diperbaiki? 🙏',
  'Bagaimana cara mengurus KTP yang hilang? Terima kasih.',
  'Lampu jalan di depan SD Negeri 2 Slawi mati sudah seminggu.',
  'Sampah di pasar Banjaran belum diangkut tiga hari.',
]
const OPD_CODES = [...new Set(DEMO_CHANNELS.map((c) => c.opd))]

const validQuestion = fc
  .record({
    name: fc.constantFrom(...NAMES),
    text: fc.constantFrom(...TEXTS),
    contact: fc.option(fc.constantFrom('0812-3456-7890', 'ani@example.org'), { nil: undefined }),
    topic: fc.option(fc.constantFrom(...TOPICS.map((t) => t.code)), { nil: undefined }),
    opdCode: fc.option(fc.constantFrom(...OPD_CODES), { nil: undefined }),
  })
  .map((q) => Object.fromEntries(Object.entries(q).filter(([, v]) => v !== undefined)) as Record<string, unknown>)

/** A few keys shared by many requests, so the same key meets the same and other questions. */
const SHARED_KEYS = ['fuzz-key-0001', 'fuzz-key-0002', 'fuzz-key-0003', 'fuzz.key:0004']
const idempotencyKey = fc.oneof(
  { weight: 4, arbitrary: fc.constant(undefined) },
  { weight: 3, arbitrary: fc.uuid().map((u) => u as string | string[]) },
  { weight: 2, arbitrary: fc.constantFrom(...SHARED_KEYS) },
  { weight: 1, arbitrary: fc.constantFrom('short', 'has space here', 'ünïcødé-key', 'k'.repeat(129), '', '../../etc', 'a\tb-tab-key') },
  { weight: 1, arbitrary: fc.constant<string[]>(['fuzz-key-0001', 'fuzz-key-0002']) },
)

/** The server's own reading of a question's honeypot: JSON (a leading BOM tolerated) with a truthy `website`. */
function fillsHoneypot(body: Buffer): boolean {
  try {
    const parsed = JSON.parse(body.toString('utf8').replace(/^\ufeff/, '')) as { website?: unknown } | null
    return !!parsed && typeof parsed === 'object' && !!parsed.website
  } catch {
    return false
  }
}

const formField = fc.constantFrom('name', 'text', 'contact', 'topic', 'opdCode', 'website', 'extra', '__proto__', 'constructor')

export const formRequest: fc.Arbitrary<FuzzRequest> = fc
  .tuple(
    validQuestion,
    fc.array(fc.tuple(formField, fc.oneof(hostileValue, fc.constant(undefined))), { maxLength: 3 }),
    fc.oneof({ weight: 3, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
    fc.array(mutationArb, { maxLength: 2 }),
    framingArb({ plain: 12, ascii: 2 }),
    contentType,
    idempotencyKey,
    ip,
  )
  .map(([question, fields, wholeTree, mutations, framing, type, key, from]) => {
    let doc: unknown = question
    for (const [field, value] of fields) {
      if (value === undefined) delete (doc as Record<string, unknown>)[field]
      else withOwnKey(doc as object, field, value)
    }
    if (wholeTree) doc = mutate(doc, mutations)
    const body = frame(doc, framing)
    const headers: Record<string, string | string[]> = {}
    if (type !== undefined) headers['content-type'] = type
    if (key !== undefined) headers['idempotency-key'] = key
    return { target: 'form', method: 'POST', url: '/api/public/questions', headers, body, ip: from, honeypot: fillsHoneypot(body) }
  })

// ---- status routes ----

const trackingCodeLike = fc.oneof(
  { weight: 3, arbitrary: fc.constant(CODE_PLACEHOLDER) },
  { weight: 1, arbitrary: fc.constantFrom('ZZZZ-ZZZZ', 'abcd-efgh', 'ABCDEFGH', 'abcd%20efgh', '2345-678', '2345-67890', 'OOOO-IIII', '----', '') },
  { weight: 3, arbitrary: segment },
  { weight: 1, arbitrary: fc.constant(CODE_PLACEHOLDER).map((c) => `${c}%00`) },
)

export const statusRequest: fc.Arbitrary<FuzzRequest> = fc
  .tuple(fc.constantFrom('/api/public/questions/', '/lacak/'), trackingCodeLike, fc.constantFrom('', '?', '?code=x&code=y', '/extra', '#frag'), ip)
  .map(([base, code, tail, from]) => ({
    target: base.startsWith('/lacak') ? 'lacak' : 'status',
    method: 'GET',
    url: `${base}${code}${tail}`,
    headers: {},
    ip: from,
  }))

// ---- webhooks ----

const FIXTURES = join(import.meta.dirname, '..', 'fixtures')

/** A platform's fixtures as documents, with the foreign account ids of borrowed captures swapped for the demo channels'. */
function fixtures(dirs: string[], swap: Record<string, string> = {}): unknown[] {
  return dirs.flatMap((dir) =>
    readdirSync(join(FIXTURES, dir))
      .filter((f) => f.endsWith('.json'))
      .map((f) => {
        let text = readFileSync(join(FIXTURES, dir, f), 'utf8')
        for (const [from, to] of Object.entries(swap)) text = text.split(from).join(to)
        return JSON.parse(text) as unknown
      }),
  )
}

const IG = DEMO_CHANNELS.find((c) => c.platform === 'instagram')!.accountId
const META_DOCS = fixtures(['facebook', 'instagram', 'whatsapp'], {
  '"1234567890321"': `"${PAGE}"`,
  '"12345654332"': `"${PAGE}"`,
  '"17841452691600098"': `"${IG}"`,
  '"123456789"': `"${IG}"`,
  '"1234536447"': `"${IG}"`,
  '"0"': `"${IG}"`,
})
const TELEGRAM_DOCS = fixtures(['telegram'])
const X_DOCS = fixtures(['x'], { '"4337869213"': `"${X_ACCOUNT}"` })
const TIKTOK_DOCS = fixtures(['tiktok'])

/** A real payload with new ids, as it came or bent by a few mutations, or garbage. */
const payload = (docs: unknown[]) =>
  fc.oneof(
    {
      weight: 3,
      arbitrary: fc
        .tuple(fc.constantFrom(...docs), fc.nat(), framingArb({ plain: 20, ascii: 10 }))
        .map(([doc, seed, framing]) => frame(mutate(doc, [], ACCOUNTS, seed), framing)),
    },
    {
      weight: 5,
      arbitrary: fc
        .tuple(fc.constantFrom(...docs), fc.nat(), fc.array(mutationArb, { minLength: 1, maxLength: 3 }), framingArb({ plain: 10, ascii: 4 }))
        .map(([doc, seed, mutations, framing]) => frame(mutate(doc, mutations, ACCOUNTS, seed), framing)),
    },
    { weight: 1, arbitrary: fc.tuple(hostileValue, framingArb()).map(([v, framing]) => frame(v, framing)) },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom(
          '',
          ' ',
          'null',
          '[]',
          '{}',
          '""',
          '0',
          '{"object":"page"}',
          '{"object":"page","entry":null}',
          '{"update_id":1}',
          '{"for_user_id":null}',
          '\ufeff{}',
        )
        .map((s) => Buffer.from(s, 'utf8')),
    },
  )

const webhookPost = (
  target: string,
  url: string,
  body: Buffer,
  headers: Record<string, string | string[]>,
  from: string,
  type?: string,
  sign?: FuzzRequest['sign'],
): FuzzRequest => ({
  target,
  method: 'POST',
  url,
  body,
  ip: from,
  sign,
  headers: { ...(type !== undefined ? { 'content-type': type } : {}), ...headers },
})

const badSignature = (prefix: string): fc.Arbitrary<string | string[] | undefined> =>
  fc.oneof(
    fc.constant(undefined),
    fc.constantFrom(
      '',
      prefix,
      `${prefix}zz`,
      `${prefix}${'0'.repeat(64)}`,
      `${prefix}${'A'.repeat(44)}`,
      'sha1=abc',
      `${prefix}${'f'.repeat(5000)}`,
      't=1,s=00',
      't=,s=',
      't=99999999999999,s=ab',
    ),
    headerValue,
    fc.constant<string[]>([`${prefix}${'0'.repeat(64)}`, `${prefix}${'1'.repeat(64)}`]),
  )

const webhookType = fc.oneof({ weight: 6, arbitrary: fc.constant('application/json') }, { weight: 1, arbitrary: contentType })

export const metaRequest: fc.Arbitrary<FuzzRequest> = fc.oneof(
  // The subscription handshake, with repeated and missing parameters.
  fc
    .tuple(
      repeated(fc.constantFrom('subscribe', 'unsubscribe', '', 'SUBSCRIBE')),
      repeated(fc.oneof(fc.constant(pct(DEMO_SECRETS.meta.verifyToken)), segment)),
      repeated(segment),
      fc.array(fc.constantFrom('hub.mode', 'hub.verify_token', 'hub.challenge'), { maxLength: 2 }),
      ip,
    )
    .map(([mode, token, challenge, drop, from]) => ({
      target: 'meta.get',
      method: 'GET',
      headers: {},
      ip: from,
      url: `/webhooks/meta${query([
        ['hub.mode', drop.includes('hub.mode') ? undefined : mode],
        ['hub.verify_token', drop.includes('hub.verify_token') ? undefined : token],
        ['hub.challenge', drop.includes('hub.challenge') ? undefined : challenge],
      ])}`,
    })),
  fc
    .tuple(payload(META_DOCS), badSignature('sha256='), webhookType, ip)
    .map(([body, sig, type, from]) =>
      webhookPost('meta.post.unsigned', '/webhooks/meta', body, sig === undefined ? {} : { 'x-hub-signature-256': sig }, from, type),
    ),
  fc
    .tuple(payload(META_DOCS), webhookType, ip)
    .map(([body, type, from]) =>
      webhookPost('meta.post.signed', '/webhooks/meta', body, {}, from, type, { scheme: 'meta', secret: DEMO_SECRETS.meta.appSecret }),
    ),
  fc
    .tuple(payload(META_DOCS), webhookType, ip)
    .map(([body, type, from]) =>
      webhookPost('meta.post.signed', '/webhooks/meta', body, {}, from, type, { scheme: 'meta', secret: DEMO_SECRETS.meta.appSecret }),
    ),
)

const botPath = fc.oneof(
  { weight: 6, arbitrary: fc.constant(BOT) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '7000000002',
      '0',
      '99999999999999999999',
      '999999999999999999999',
      '-1',
      '7000000001.0',
      '07000000001',
      ` ${BOT}`.replace(' ', '%20'),
      '',
    ),
  },
  { weight: 1, arbitrary: segment },
)
const telegramToken = fc.oneof(
  { weight: 6, arbitrary: fc.constant<string | string[] | undefined>(DEMO_SECRETS.telegram.secretToken) },
  {
    weight: 1,
    arbitrary: fc.constantFrom<string | string[] | undefined>(
      undefined,
      '',
      'wrong',
      DEMO_SECRETS.telegram.secretToken.toUpperCase(),
      `${DEMO_SECRETS.telegram.secretToken} `,
      [DEMO_SECRETS.telegram.secretToken, DEMO_SECRETS.telegram.secretToken],
    ),
  },
  { weight: 1, arbitrary: headerValue },
)

export const telegramRequest: fc.Arbitrary<FuzzRequest> = fc
  .tuple(payload(TELEGRAM_DOCS), botPath, telegramToken, webhookType, ip)
  .map(([body, bot, token, type, from]) => {
    const signed = bot === BOT && token === DEMO_SECRETS.telegram.secretToken
    return webhookPost(
      signed ? 'telegram.signed' : 'telegram.unsigned',
      `/webhooks/telegram/${bot}`,
      body,
      token === undefined ? {} : { [TELEGRAM_SECRET_HEADER]: token },
      from,
      type,
    )
  })

const crcToken = fc.oneof(
  { weight: 3, arbitrary: fc.base64String({ minLength: 4, maxLength: 64 }).map(pct) },
  { weight: 1, arbitrary: fc.constantFrom('abc+def/ghi=', '{"for_user_id":"1"}', '%7B%7D', 'x'.repeat(1025), '', '%', '%E0%A4%A') },
  { weight: 1, arbitrary: segment },
)

export const xRequest: fc.Arbitrary<FuzzRequest> = fc.oneof(
  fc.tuple(repeated(crcToken), fc.option(repeated(fc.oneof(fc.constant(X_ACCOUNT), segment)), { nil: undefined }), ip).map(([token, account, from]) => ({
    target: 'x.get',
    method: 'GET',
    headers: {},
    ip: from,
    url: `/webhooks/x${query([
      ['crc_token', token],
      ['account', account],
    ])}`,
  })),
  fc
    .tuple(payload(X_DOCS), badSignature('sha256='), webhookType, ip)
    .map(([body, sig, type, from]) =>
      webhookPost('x.post.unsigned', '/webhooks/x', body, sig === undefined ? {} : { 'x-twitter-webhooks-signature': sig }, from, type),
    ),
  fc
    .tuple(payload(X_DOCS), webhookType, ip)
    .map(([body, type, from]) => webhookPost('x.post.signed', '/webhooks/x', body, {}, from, type, { scheme: 'x', secret: DEMO_SECRETS.x.consumerSecret })),
  fc
    .tuple(payload(X_DOCS), webhookType, ip)
    .map(([body, type, from]) => webhookPost('x.post.signed', '/webhooks/x', body, {}, from, type, { scheme: 'x', secret: DEMO_SECRETS.x.consumerSecret })),
)

export const tiktokRequest: fc.Arbitrary<FuzzRequest> = fc.oneof(
  fc
    .tuple(payload(TIKTOK_DOCS), badSignature('t=1700000000,s='), webhookType, ip)
    .map(([body, sig, type, from]) =>
      webhookPost('tiktok.unsigned', '/webhooks/tiktok', body, sig === undefined ? {} : { 'tiktok-signature': sig }, from, type),
    ),
  // Signed with the right secret but a time outside the window: refused like a replay.
  fc.tuple(payload(TIKTOK_DOCS), fc.constantFrom(-3600, 301, 86_400 * 365), ip).map(([body, skew, from]) =>
    webhookPost('tiktok.stale', '/webhooks/tiktok', body, {}, from, 'application/json', {
      scheme: 'tiktok',
      secret: DEMO_SECRETS.tiktok.clientSecret,
      skewSeconds: skew,
    }),
  ),
  fc
    .tuple(payload(TIKTOK_DOCS), webhookType, ip)
    .map(([body, type, from]) =>
      webhookPost('tiktok.signed', '/webhooks/tiktok', body, {}, from, type, { scheme: 'tiktok', secret: DEMO_SECRETS.tiktok.clientSecret }),
    ),
  fc
    .tuple(payload(TIKTOK_DOCS), webhookType, ip)
    .map(([body, type, from]) =>
      webhookPost('tiktok.signed', '/webhooks/tiktok', body, {}, from, type, { scheme: 'tiktok', secret: DEMO_SECRETS.tiktok.clientSecret }),
    ),
)

// ---- everything else: odd paths, odd methods, oversized bodies ----

const ODD_PATHS = [
  '/webhooks/meta/',
  '/webhooks//meta',
  '/WEBHOOKS/META',
  '/webhooks/meta%00',
  '/webhooks/telegram/',
  '/webhooks/telegram',
  '/webhooks/tiktok/x',
  '/webhooks/x/../meta',
  '/api/public/questions/',
  '/api/public//questions',
  '/api/public/questions/../options',
  '/lacak',
  '/lacak/',
  '/%2e%2e/%2e%2e/etc/passwd',
  '/healthz/..',
  '/api/public/options?limit=1&limit=2',
  '/ws?x=1',
  '/api/%ff',
  '/%',
  '/?__proto__[polluted]=1',
  '/api/public/questions?constructor[prototype][polluted]=1',
]

export const oddRequest: fc.Arbitrary<FuzzRequest> = fc.oneof(
  fc
    .tuple(fc.constantFrom(...ODD_PATHS), fc.constantFrom(...ODD_METHODS), fc.option(fc.uint8Array({ maxLength: 200 }), { nil: undefined }), contentType, ip)
    .map(
      ([url, method, bytes, type, from]): FuzzRequest => ({
        target: 'odd',
        method,
        url,
        ip: from,
        body: bytes && Buffer.from(bytes),
        headers: type === undefined ? {} : { 'content-type': type },
      }),
    ),
  // Bodies over the limits (form 256 KiB, webhooks 4 MiB): refused with 413 before anything is read.
  fc
    .tuple(
      fc.constantFrom('/api/public/questions', '/webhooks/meta', '/webhooks/tiktok', `/webhooks/telegram/${BOT}`),
      fc.constantFrom(300 * 1024, 4 * 1024 * 1024 + 1),
      ip,
    )
    .map(
      ([url, size, from]): FuzzRequest => ({
        target: 'oversized',
        method: 'POST',
        url,
        ip: from,
        body: Buffer.concat([Buffer.from('{"text":"'), Buffer.alloc(size, 'a'), Buffer.from('"}')]),
        headers: { 'content-type': 'application/json', ...(url.includes('telegram') ? { [TELEGRAM_SECRET_HEADER]: DEMO_SECRETS.telegram.secretToken } : {}) },
        sign: url === '/webhooks/meta' ? { scheme: 'meta' as const, secret: DEMO_SECRETS.meta.appSecret } : undefined,
      }),
    ),
)

/** Every HTTP target, weighted roughly by how much code stands behind it. */
export const httpRequest: fc.Arbitrary<FuzzRequest> = roughen(
  fc.oneof(
    { weight: 30, arbitrary: formRequest },
    { weight: 12, arbitrary: statusRequest },
    { weight: 18, arbitrary: metaRequest },
    { weight: 10, arbitrary: telegramRequest },
    { weight: 10, arbitrary: xRequest },
    { weight: 9, arbitrary: tiktokRequest },
    { weight: 3, arbitrary: oddRequest.filter((r) => r.target !== 'oversized') },
    // Rare, because each is megabytes.
    { weight: 1, arbitrary: oddRequest.filter((r) => r.target === 'oversized') },
  ),
)

/** The headers a request is sent with: its own plus, for signed ones, the signature over the exact body at this time. */
export function headersToSend(req: FuzzRequest, nowMs: number): Record<string, string | string[]> {
  if (!req.sign) return req.headers
  const body = req.body ?? Buffer.alloc(0)
  const { scheme, secret, skewSeconds = 0 } = req.sign
  if (scheme === 'meta') return { ...req.headers, 'x-hub-signature-256': signMeta(secret, body) }
  if (scheme === 'x') return { ...req.headers, 'x-twitter-webhooks-signature': signX(secret, body) }
  return { ...req.headers, 'tiktok-signature': signTiktok(secret, Math.floor(nowMs / 1000) + skewSeconds, body) }
}

// ---- websocket upgrades ----

export interface WsUpgrade {
  target: 'ws'
  /** The request head as sent on a raw socket (`{host}` and `{session}` filled in when sending). */
  lines: string[]
  /** Sent with the signed-in superadmin's session cookie. */
  withSession: boolean
  /** The Origin names another site: it must never be upgraded. */
  foreignOrigin: boolean
}

export const HOST_PLACEHOLDER = '{host}'
export const SESSION_PLACEHOLDER = '{session}'

const latin1Header = fc.oneof(
  headerValue,
  fc
    .constantFrom(...EDGE_CHARS)
    .map((c) => Buffer.from(c, 'utf8').toString('latin1'))
    .filter((s) => !/[\0-\x08\n-\x1f\x7f]/.test(s)),
)
const origin = fc.oneof(
  { weight: 2, arbitrary: fc.constant<string | undefined>(undefined) },
  { weight: 2, arbitrary: fc.constant(`http://${HOST_PLACEHOLDER}`) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      'null',
      'http://evil.example',
      'https://evil.example:443',
      'file://',
      'http://',
      'http://[::1',
      'http://%',
      'ftp://x',
      '*',
      ' ',
      'http://127.0.0.1',
      'http://127.0.0.1:1',
      `http://${HOST_PLACEHOLDER}.evil.example`,
      `http://user@${HOST_PLACEHOLDER}`,
      'chrome-extension://abc',
      'http://xn--80ak6aa92e.com',
      'x'.repeat(5000),
    ),
  },
  { weight: 1, arbitrary: latin1Header },
)
const cookie = fc.oneof(
  { weight: 3, arbitrary: fc.constant<string | undefined>(undefined) },
  { weight: 3, arbitrary: fc.constant(`tanggap_sid=${SESSION_PLACEHOLDER}`) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      'tanggap_sid=',
      'tanggap_sid=garbage',
      'tanggap_sid=%E0%A4%A',
      `tanggap_sid=${'a'.repeat(4000)}`,
      ';;;=',
      '=',
      'tanggap_sid=1; tanggap_sid=2',
      `tanggap_sid=${SESSION_PLACEHOLDER}x`,
      '__proto__=1',
      'tanggap_sid="quoted"',
    ),
  },
  { weight: 1, arbitrary: latin1Header.map((v) => `tanggap_sid=${v}`) },
)

export const wsUpgrade: fc.Arbitrary<WsUpgrade> = fc
  .record({
    method: fc.oneof({ weight: 6, arbitrary: fc.constant('GET') }, { weight: 1, arbitrary: fc.constantFrom('POST', 'HEAD', 'OPTIONS', 'DELETE') }),
    path: fc.oneof(
      { weight: 6, arbitrary: fc.constant('/ws') },
      { weight: 1, arbitrary: fc.constantFrom('/ws/', '/WS', '/ws?token=x&token=y', '/ws%00', '/ws/../ws', '//ws') },
    ),
    upgrade: fc.constantFrom<string | string[] | undefined>('websocket', 'websocket', 'websocket', 'WebSocket', 'h2c', '', undefined, [
      'websocket',
      'websocket',
    ]),
    connection: fc.constantFrom<string | undefined>('Upgrade', 'Upgrade', 'keep-alive, Upgrade', 'close', undefined),
    key: fc.oneof(
      { weight: 4, arbitrary: fc.uint8Array({ minLength: 16, maxLength: 16 }).map((b) => Buffer.from(b).toString('base64')) },
      { weight: 1, arbitrary: fc.constantFrom<string | undefined>(undefined, '', 'short', '!!!!!!!!!!!!!!!!!!!!!!==', 'x'.repeat(3000)) },
    ),
    version: fc.constantFrom<string | undefined>('13', '13', '13', '8', '0', '13, 8', 'x', undefined),
    origin: repeated(origin).map((os) => os.filter((o): o is string => o !== undefined)),
    host: fc.oneof(
      { weight: 6, arbitrary: fc.constant<string | undefined>(HOST_PLACEHOLDER) },
      { weight: 1, arbitrary: fc.constantFrom<string | undefined>(undefined, '', 'evil.example', 'localhost:1', `${HOST_PLACEHOLDER}:99999`) },
    ),
    cookie,
    extra: fc.dictionary(
      fc.constantFrom(
        'sec-websocket-extensions',
        'sec-websocket-protocol',
        'x-forwarded-for',
        'x-forwarded-host',
        'authorization',
        'accept-language',
        'x-csrf-token',
      ),
      latin1Header,
      { maxKeys: 2 },
    ),
  })
  .map((r) => {
    const lines = [`${r.method} ${r.path} HTTP/1.1`]
    const add = (name: string, value: string | string[] | undefined) => {
      for (const v of value === undefined ? [] : Array.isArray(value) ? value : [value]) lines.push(`${name}: ${v}`)
    }
    add('Host', r.host)
    add('Upgrade', r.upgrade)
    add('Connection', r.connection)
    add('Sec-WebSocket-Key', r.key)
    add('Sec-WebSocket-Version', r.version)
    add('Origin', r.origin)
    add('Cookie', r.cookie)
    for (const [name, value] of Object.entries(r.extra)) add(name, value)
    const withSession = r.cookie === `tanggap_sid=${SESSION_PLACEHOLDER}`
    const foreignOrigin = r.origin.some((o) => o.includes('evil.example') || o.startsWith('chrome-extension:') || o.startsWith('ftp:'))
    return { target: 'ws' as const, lines, withSession, foreignOrigin }
  })
