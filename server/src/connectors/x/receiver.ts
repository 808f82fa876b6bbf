// The X webhook (/webhooks/x). GET answers X's challenge-response check (CRC) with the consumer
// secret of the app the webhook belongs to; POST checks x-twitter-webhooks-signature over the raw
// bytes, stores the delivery (its for_user_id names the account) and answers 200 at once.
//
// Several X apps: usually one regency registers one app for all its accounts, and the CRC is
// answered with that app's secret. When X channels use different apps, register each app's webhook
// as /webhooks/x?account=<the account's user id> (⚠ X is assumed to keep the query string of a
// registered URL); without it the oldest X channel's app answers.
//
// A valid signature alone proves little: the CRC signs any token anyone sends with the same secret.
// So a delivery must also be what X sends, a JSON object whose for_user_id is an active X channel's
// account: anything else answers 400 or 404 and stores nothing. An unknown account is refused rather
// than kept: no channel's secret vouches for it and nobody could answer it. X retries it (3 times
// in 5 minutes) and drops it; only a failed CRC is documented to mark the webhook invalid.
import { createHash } from 'node:crypto'
import { AppError } from '../../lib/errors.ts'
import { scanJson } from '../json-scan.ts'
import { obj, withoutBom } from '../read.ts'
import type { OpenChannel, Receiver } from '../types.ts'
import { idStr } from './formats.ts'
import { isCrcToken, signersOf, signX, X_SIGNATURE_HEADER } from './verify.ts'

type Query = Record<string, string | string[] | undefined>

const withSecret = (channels: readonly OpenChannel[]) => channels.filter((c) => !!c.credentials.consumerSecret).sort((a, b) => a.id - b.id)

/**
 * The account a body names; a body that is not a JSON object with a string for_user_id names none.
 * The body is scanned, not parsed (its job parses it): a large delivery costs no memory here, and
 * one nested deeper than any X payload is refused. Only a body that writes a top-level name or
 * for_user_id itself with escapes is parsed, to read it exactly as the job will.
 */
function forUserOf(raw: Buffer): string | undefined {
  const scan = scanJson(raw, 'for_user_id')
  if (scan.kind !== 'object') return undefined
  if (!scan.escaped) return idStr(scan.value)
  return idStr(obj(JSON.parse(withoutBom(raw.toString('utf8'))))?.for_user_id)
}

/**
 * A query parameter read from the raw URL: a form decoder would turn a '+' of a base64 token into a
 * space, and the HMAC would then be over another string.
 */
function rawParam(url: string, name: string): string | undefined {
  const query = url.includes('?') ? url.slice(url.indexOf('?') + 1) : ''
  for (const part of query.split('&')) {
    const eq = part.indexOf('=')
    if (eq > 0 && part.slice(0, eq) === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1))
      } catch {
        return undefined
      }
    }
  }
  return undefined
}

export const xReceiver: Receiver = async (app, deps) => {
  app.get<{ Querystring: Query }>('/webhooks/x', { schema: { hide: true } }, async (req, reply) => {
    const token = rawParam(req.url, 'crc_token')
    if (typeof token !== 'string' || !isCrcToken(token)) throw new AppError('VALIDATION', 'Missing or malformed crc_token')
    const channels = withSecret(deps.channelsOf(['x']))
    const account = req.query.account
    const channel = typeof account === 'string' ? channels.find((c) => c.accountId === account) : channels[0]
    if (!channel) throw new AppError('FORBIDDEN', 'No active X channel with a consumer secret for this webhook')
    return reply.send({ response_token: signX(channel.credentials.consumerSecret!, token) })
  })

  app.post('/webhooks/x', { schema: { hide: true } }, async (req, reply) => {
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0)
    const channels = withSecret(deps.channelsOf(['x']))
    const signers = signersOf(raw, req.headers[X_SIGNATURE_HEADER] as string | undefined, new Set(channels.map((c) => c.credentials.consumerSecret!)))
    if (!signers.size) throw new AppError('UNAUTHENTICATED', 'Bad or missing x-twitter-webhooks-signature')
    const forUser = forUserOf(raw)
    if (!forUser) throw new AppError('VALIDATION', 'Body is not an X Account Activity delivery (a JSON object with a string for_user_id)')
    const owner = deps.channelByAccount('x', forUser)
    if (!owner) throw new AppError('NOT_FOUND', 'No active X channel for this for_user_id')
    // With several apps, one app's secret must not speak for another app's account.
    const secret = owner.credentials.consumerSecret
    if (secret && !signers.has(secret)) throw new AppError('FORBIDDEN', 'Signed by another X app than the account’s')
    // X retries the same bytes (3 times in 5 minutes): the body's hash is the delivery's key.
    await deps.accept({ platform: 'x', channelId: null, dedupeKey: `x:${createHash('sha256').update(raw).digest('hex')}`, rawBody: raw })
    return reply.code(200).send({ ok: true })
  })
}
