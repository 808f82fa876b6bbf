// Instagram in the simulator: a fake Graph API for professional accounts (comment replies, mention
// replies and lookups, Direct messages, the account read behind testConnection) with Graph's error
// shapes, and a maker of signed `instagram` webhook deliveries: comments, mentions and Direct messages
// or echoes.
import { randomBytes } from 'node:crypto'
import { DEMO_CHANNELS } from '@tanggap/db/seed'
import { IG_COMMENT_MAX_CHARS, IG_DM_MAX_BYTES } from '../../connectors/instagram/send.ts'
import type { ApiAnswer, DeliveryMaker, PlatformApi } from '../types.ts'
import {
  badToken,
  field,
  graphError,
  graphNumericId,
  graphPath,
  graphToken,
  missingParam,
  rememberProfile,
  requestedFields,
  signedMetaDelivery,
  unsupported,
} from './facebook.ts'

/** "Instagram @disdukcapil.tegalkab" → "disdukcapil.tegalkab". */
const usernameOf = (channelName: string) => /@([\w.]+)/.exec(channelName)?.[1] ?? 'akun.pemkab'

const ACCOUNTS = new Map(DEMO_CHANNELS.filter((c) => c.platform === 'instagram').map((c) => [c.accountId, c.name]))

/** Instagram usernames are lowercase letters, digits, dots and underscores. */
const toUsername = (name: string) =>
  name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9._]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 30) || 'warga'

/** Citizens the maker sent Direct messages for: the Instagram Messaging User Profile API answers only for them. */
const PROFILES = new Map<string, { name: string; username: string }>()

/** Mentions the maker sent, so the fake can answer the lookup of their text the way Graph does. */
const MENTIONS = new Map<string, { text: string; username: string; at: number }>()
const rememberMention = (commentId: string, m: { text: string; username: string; at: number }) => {
  MENTIONS.set(commentId, m)
  if (MENTIONS.size > 10_000) MENTIONS.delete(MENTIONS.keys().next().value!)
}
/** Graph's time format: 2017-05-03T16:09:08+0000. */
const graphTime = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, '+0000')

/** GET /{ig-user-id}?fields=mentioned_comment.comment_id(…){…} or mentioned_media.media_id(…){…}. */
function mentionLookup(accountId: string, fields: string): ApiAnswer | undefined {
  const m = /^mentioned_(comment|media)\.(comment_id|media_id)\((\d+)\)/.exec(fields)
  if (!m) return undefined
  const known = MENTIONS.get(m[3]!)
  if (!known) return graphError(400, 100, `(#100) Invalid ${m[2]} ${m[3]}: no mention of this account found`)
  const found =
    m[1] === 'comment'
      ? { text: known.text, timestamp: graphTime(known.at), username: known.username, id: m[3] }
      : { caption: known.text, timestamp: graphTime(known.at), username: known.username, id: m[3] }
  return { status: 200, body: { [`mentioned_${m[1]}`]: found, id: accountId } }
}

const commentMessage = (body: unknown) => {
  const message = field(body, 'message')
  if (typeof message !== 'string' || !message.trim()) return { error: missingParam('message') }
  if (message.length > IG_COMMENT_MAX_CHARS)
    return { error: graphError(400, 100, `(#100) The comment is too long (at most ${IG_COMMENT_MAX_CHARS} characters)`) }
  return { message }
}

export const instagramApi: PlatformApi = (call) => {
  const parts = graphPath(call)
  const denied = badToken(graphToken(call))
  if (denied) return denied
  const [objectId, edge, ...more] = parts
  if (!objectId || more.length) return graphError(400, 2500, `Unknown path components: /${parts.join('/')}`)

  if (call.method === 'GET' && !edge) {
    const name = ACCOUNTS.get(objectId)
    const profile = PROFILES.get(objectId)
    if (!name) return profile ? requestedFields(call, objectId, profile) : unsupported('GET', objectId)
    return mentionLookup(objectId, call.query.fields ?? '') ?? { status: 200, body: { id: objectId, username: usernameOf(name), name } }
  }

  if (call.method === 'POST' && edge === 'replies') {
    const { error } = commentMessage(call.body)
    return error ?? { status: 200, body: { id: graphNumericId() } }
  }

  if (call.method === 'POST' && edge === 'mentions') {
    if (!ACCOUNTS.has(objectId)) return unsupported('POST', objectId)
    if (typeof field(call.body, 'media_id') !== 'string') return missingParam('media_id')
    const { error } = commentMessage(call.body)
    return error ?? { status: 200, body: { id: graphNumericId() } }
  }

  if (call.method === 'POST' && edge === 'messages') {
    if (!ACCOUNTS.has(objectId)) return unsupported('POST', objectId)
    const recipient = field(call.body, 'recipient') as { id?: unknown } | undefined
    const message = field(call.body, 'message') as { text?: unknown } | undefined
    if (!recipient || typeof recipient.id !== 'string' || !recipient.id) return missingParam('recipient')
    if (!message || typeof message.text !== 'string' || !message.text) return missingParam('message')
    if (Buffer.byteLength(message.text) > IG_DM_MAX_BYTES) return graphError(400, 100, `(#100) Message text must be UTF-8 and at most ${IG_DM_MAX_BYTES} bytes`)
    return { status: 200, body: { recipient_id: recipient.id, message_id: `aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOj${randomBytes(48).toString('base64url')}` } }
  }

  return graphError(400, 100, `(#100) Unsupported ${call.method} on /${parts.join('/')}`)
}

/**
 * One entry per post: a comment's only time is its entry's (seconds). For a comment, threadId is
 * the media and parentId, when it names a comment, the top-level comment answered; a mention names
 * the media and the comment. In Direct the conversation is the citizen: an echo (fromAccount) goes
 * to the citizen named by threadId.
 */
export const instagramMaker: DeliveryMaker = {
  platform: 'instagram',
  kinds: ['comment', 'dm', 'mention'],
  make(channel, posts) {
    const igId = channel.accountId
    const entry = posts.map((p) => {
      if (p.kind === 'dm') {
        const citizen = p.fromAccount ? p.threadId : p.authorId
        if (!p.fromAccount) rememberProfile(PROFILES, citizen, { name: p.authorName, username: toUsername(p.authorName) })
        return {
          time: p.at,
          id: igId,
          messaging: [
            {
              sender: { id: p.fromAccount ? igId : citizen },
              recipient: { id: p.fromAccount ? citizen : igId },
              timestamp: p.at,
              message: { mid: p.messageId, text: p.text, ...(p.fromAccount ? { is_echo: true } : {}) },
            },
          ],
        }
      }
      const time = Math.floor(p.at / 1000)
      if (p.kind === 'mention') {
        rememberMention(p.messageId, { text: p.text, username: toUsername(p.authorName), at: p.at })
        return { changes: [{ field: 'mentions', value: { comment_id: p.messageId, media_id: p.threadId } }], id: igId, time }
      }
      const from = p.fromAccount ? { id: igId, username: usernameOf(channel.name) } : { id: p.authorId, username: toUsername(p.authorName) }
      const parent = p.parentId && p.parentId !== p.threadId ? { parent_id: p.parentId } : {}
      return {
        changes: [{ field: 'comments', value: { text: p.text, from, ...parent, media: { id: p.threadId, media_product_type: 'FEED' }, id: p.messageId } }],
        id: igId,
        time,
      }
    })
    return signedMetaDelivery(channel, { object: 'instagram', entry })
  },
}
