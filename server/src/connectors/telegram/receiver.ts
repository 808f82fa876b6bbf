// The Telegram webhook: one path per bot, /webhooks/telegram/<bot id> (setWebhook's url), checked by
// the secret token header. The update is stored under its channel and answered at once.
//
// An unknown or deactivated bot id answers 404 and stores nothing. Telegram then keeps the updates
// (up to 24 h) and retries, and getWebhookInfo shows the error to whoever set the webhook: a channel
// switched back on within that time receives them. With no channel there is no secret to check the
// request against, so storing would accept anything from anyone.
import type { FastifyPluginAsync } from 'fastify'
import { AppError } from '../../lib/errors.ts'
import { scanJson } from '../json-scan.ts'
import { isObject } from '../read.ts'
import type { ReceiverDeps } from '../types.ts'
import { checkSecretToken, TELEGRAM_SECRET_HEADER } from './verify.ts'

const BOT_ID = /^\d{1,20}$/

/**
 * Telegram writes update_id first: once a scan has found the body a JSON object (no deeper than any
 * real update), update_id is read from its start, as the Meta receiver reads `object`, and the body
 * is not parsed here only to be parsed again by its job. A body that puts it elsewhere is parsed.
 */
const UPDATE_ID_FIRST = /^\{[ \t\n\r]*"update_id"[ \t\n\r]*:[ \t\n\r]*(0|[1-9]\d{0,14})[ \t\n\r]*[,}]/

/** The update_id of a body that is a JSON object, or null. */
function updateIdOf(raw: Buffer): number | null {
  if (scanJson(raw).kind !== 'object') return null
  const head = UPDATE_ID_FIRST.exec(raw.toString('latin1', 0, 64))
  if (head) return Number(head[1])
  let body: unknown
  try {
    // As the job parses it: a leading byte-order mark (which the scan skips) is refused.
    body = JSON.parse(raw.toString('utf8'))
  } catch {
    return null
  }
  if (!isObject(body)) return null
  const updateId = body.update_id
  return typeof updateId === 'number' && Number.isSafeInteger(updateId) && updateId >= 0 ? updateId : null
}

export const telegramReceiver: FastifyPluginAsync<ReceiverDeps> = async (app, deps) => {
  app.post<{ Params: { botId: string } }>('/webhooks/telegram/:botId', { schema: { hide: true } }, async (req, reply) => {
    const { botId } = req.params
    const channel = BOT_ID.test(botId) ? deps.channelByAccount('telegram', botId) : undefined
    if (!channel) throw new AppError('NOT_FOUND', 'No active Telegram channel for this bot')
    const check = checkSecretToken(req.headers[TELEGRAM_SECRET_HEADER], channel.credentials.secretToken)
    if (check === 'missing') throw new AppError('UNAUTHENTICATED', 'Missing X-Telegram-Bot-Api-Secret-Token')
    if (check === 'wrong') throw new AppError('FORBIDDEN', 'Bad X-Telegram-Bot-Api-Secret-Token')
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0)
    const updateId = updateIdOf(raw)
    if (updateId === null) throw new AppError('VALIDATION', 'Body is not a Telegram Update (a JSON object with an integer update_id)')
    // Telegram resends an update until it gets a 2xx; update_id is the bot's sequence number for it.
    // ⚠ After a week without updates Telegram picks the next id at random: it could in principle repeat
    // an old id and be taken for a redelivery (the key the task prescribes; rare enough to accept).
    await deps.accept({ platform: 'telegram', channelId: channel.id, dedupeKey: `telegram:${botId}:${updateId}`, rawBody: raw })
    return reply.code(200).send({ ok: true })
  })
}
