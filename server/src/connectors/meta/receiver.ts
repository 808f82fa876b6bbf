// The one Meta webhook endpoint for Facebook Pages (feed comments, Messenger), Instagram
// (comments, mentions, DMs) and WhatsApp. GET answers the subscription handshake with a channel's
// verify token; POST checks X-Hub-Signature-256 over the raw bytes, binds the signature to the
// accounts the delivery speaks for, stores it under the platform its `object` names, and answers
// 200 at once.
//
// A signature binds to accounts: a delivery must verify under the app secret of every channel whose
// account it addresses (accounts.ts), so whoever holds one channel's app secret cannot write into
// another channel's inbox (403, nothing stored). When every active Meta channel's secret signed it
// (one Meta app for the regency, the usual case), no account can fail that and the body is not read
// here. An account no channel knows passes under any channel's secret: the delivery is kept, flagged
// for the superadmin, and becomes items only once a channel for that account is added.
// ⚠ That later re-processing cannot check the signature again (the header is not kept): a delivery
// flagged for an unknown account was vouched for by whichever channel's app secret signed it then.
import type { FastifyBaseLogger, FastifyPluginAsync } from 'fastify'
import { createHash } from 'node:crypto'
import Type, { type Static } from 'typebox'
import { CHANNEL_LIMITS, META_WEBHOOK_PLATFORMS, type Platform } from '@tanggap/shared'
import { safeEqual } from '../../lib/crypto.ts'
import { AppError } from '../../lib/errors.ts'
import { isObject } from '../read.ts'
import type { OpenChannel, ReceiverDeps } from '../types.ts'
import { type Account, accountsOf, type MetaPlatform } from './accounts.ts'
import { META_SIGNATURE_HEADER, metaSigners } from './verify.ts'

const META_PLATFORMS: Platform[] = [...META_WEBHOOK_PLATFORMS]

// A Map, not an object literal: a hostile object such as "constructor" must not find Object's members.
const PLATFORM_BY_OBJECT = new Map<string, MetaPlatform>([
  ['page', 'facebook'],
  ['instagram', 'instagram'],
  ['whatsapp_business_account', 'whatsapp'],
])

/** Meta's handshake query; a parameter given twice arrives as a list, which the schema refuses (400). */
const Handshake = Type.Object({
  'hub.mode': Type.Optional(Type.String({ maxLength: 32 })),
  'hub.verify_token': Type.Optional(Type.String({ maxLength: CHANNEL_LIMITS.secret })),
  // Meta sends an int: a long challenge is no handshake, and is not echoed back.
  'hub.challenge': Type.Optional(Type.String({ maxLength: 200 })),
})

const NO_BODY = Buffer.alloc(0)

/**
 * Meta writes `object` first: it is read from the start of the body, and the whole body is parsed
 * here only when it is not there (the job parses it anyway). A signed body that starts well and
 * breaks later is stored, and its job marks it failed with the reason.
 */
const OBJECT_FIRST = /^\{\s*"object"\s*:\s*"([a-z_]{1,40})"\s*,/

function objectOf(raw: Buffer): unknown {
  const head = OBJECT_FIRST.exec(raw.toString('latin1', 0, 64))
  if (head) return head[1]
  let body: unknown
  try {
    body = JSON.parse(raw.toString('utf8'))
  } catch {
    throw new AppError('VALIDATION', 'Body is not JSON')
  }
  if (!isObject(body)) throw new AppError('VALIDATION', 'Body is not a JSON object')
  return body.object
}

/** The channels' app secrets, and whether each channel has one: worked out again only when the channel list changes. */
interface Keys {
  secrets: Set<string>
  /** Some channel has no app secret: nothing can speak for its account. */
  secretless: boolean
}

export const metaReceiver: FastifyPluginAsync<ReceiverDeps> = async (app, deps) => {
  const keys = new WeakMap<readonly OpenChannel[], Keys>()
  const keysOf = (channels: readonly OpenChannel[]): Keys => {
    let k = keys.get(channels)
    if (!k) {
      const secrets = channels.map((c) => c.credentials.appSecret)
      keys.set(channels, (k = { secrets: new Set(secrets.filter((s): s is string => !!s)), secretless: secrets.some((s) => !s) }))
    }
    return k
  }

  /** Throws 403 unless the signing secrets include the app secret of every known channel the body addresses. */
  function checkAccounts(platform: MetaPlatform, raw: Buffer, signers: Set<string>, log: FastifyBaseLogger): void {
    let accounts: Account[]
    try {
      accounts = accountsOf(platform, raw, deps.clock())
    } catch {
      // Nothing of it could be read, so nothing says whose it is.
      throw new AppError('VALIDATION', 'Body is not a readable Meta delivery')
    }
    for (const { platform: p, accountId } of accounts) {
      const channel = deps.channelByAccount(p, accountId)
      const secret = channel?.credentials.appSecret
      if (channel && !(secret && signers.has(secret))) {
        log.warn({ channelId: channel.id, platform: p }, 'meta delivery for a channel not signed with its app secret')
        throw new AppError('FORBIDDEN', 'Not signed with the app secret of every account the delivery addresses')
      }
    }
  }

  app.get<{ Querystring: Static<typeof Handshake> }>('/webhooks/meta', { schema: { hide: true, querystring: Handshake } }, async (req, reply) => {
    const q = req.query
    const token = q['hub.verify_token'] ?? ''
    const known = deps.channelsOf(META_PLATFORMS).some((c) => c.credentials.verifyToken !== undefined && safeEqual(c.credentials.verifyToken, token))
    const challenge = q['hub.challenge']
    if (q['hub.mode'] !== 'subscribe' || !known || !challenge) throw new AppError('FORBIDDEN', 'Verify token not recognised')
    // Meta expects the challenge back as the raw body: no JSON, no quotes.
    return reply.type('text/plain').send(challenge)
  })

  app.post('/webhooks/meta', { schema: { hide: true } }, async (req, reply) => {
    // Without a body (none sent, or no content type) there is nothing parsed: it is checked as empty bytes.
    const raw = Buffer.isBuffer(req.body) ? req.body : NO_BODY
    const channels = deps.channelsOf(META_PLATFORMS)
    const k = keysOf(channels)
    // A header sent twice is no signature (a list, or the values joined with commas).
    const header = req.headers[META_SIGNATURE_HEADER]
    const signers = metaSigners(raw, typeof header === 'string' ? header : undefined, k.secrets)
    if (!signers.size) throw new AppError('UNAUTHENTICATED', 'Bad or missing X-Hub-Signature-256')
    const object = objectOf(raw)
    const platform = typeof object === 'string' ? PLATFORM_BY_OBJECT.get(object) : undefined
    if (!platform) {
      // Signed, but for objects we do not ingest (e.g. "user"): acknowledge so Meta stops retrying.
      req.log.info({ object: typeof object === 'string' ? object.slice(0, 40) : typeof object }, 'meta delivery for an object we do not ingest')
      return reply.code(200).send({ ok: true })
    }
    // Signed by every channel's secret: whatever account it names, its channel's secret signed it.
    if (k.secretless || signers.size < k.secrets.size) checkAccounts(platform, raw, signers, req.log)
    // Meta redelivers the same bytes on retry: the body's hash is the delivery's key.
    await deps.accept({ platform, channelId: null, dedupeKey: `meta:${createHash('sha256').update(raw).digest('hex')}`, rawBody: raw })
    return reply.code(200).send({ ok: true })
  })
}
