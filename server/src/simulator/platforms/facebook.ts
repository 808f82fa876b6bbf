// Facebook in the simulator: a fake Graph API for Pages and Messenger (comment replies, the Send
// API, the Page read behind testConnection) with Graph's error shapes, and a maker of signed `page`
// webhook deliveries in Meta's format: feed comments, mentions and Messenger messages or echoes.
import { randomBytes } from 'node:crypto'
import { DEMO_CHANNELS, DEMO_SECRETS } from '@tanggap/db/seed'
import { PAGE_INBOX_APP_ID } from '../../connectors/facebook/normalize.ts'
import { MESSENGER_MAX_CHARS } from '../../connectors/facebook/send.ts'
import { signMeta, META_SIGNATURE_HEADER } from '../../connectors/meta/verify.ts'
import type { ApiAnswer, ApiCall, DeliveryMaker, PlatformApi, SimChannel, SimDelivery } from '../types.ts'

// ---- shared by the Meta fakes -------------------------------------------------------------------

/**
 * JSON as Meta writes it: non-ASCII as lowercase \uXXXX escapes (emoji as surrogate pairs) and "/"
 * as "\/". The signature covers these bytes, so a receiver that re-serialises would fail on them.
 */
export function metaJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/\//g, '\\/')
    .replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
}

export function signedMetaDelivery(channel: SimChannel, body: unknown): SimDelivery {
  const raw = metaJson(body)
  const secret = channel.credentials.appSecret ?? DEMO_SECRETS.meta.appSecret
  return { method: 'POST', path: '/webhooks/meta', headers: { 'content-type': 'application/json', [META_SIGNATURE_HEADER]: signMeta(secret, raw) }, body: raw }
}

let serial = 0
/** A fresh numeric id of Graph's usual length. */
export const graphNumericId = () => `17${String(Date.now()).slice(-9)}${String(++serial % 1e6).padStart(6, '0')}`

const fbtrace = () => randomBytes(8).toString('base64url')

export const graphError = (status: number, code: number, message: string, type = 'OAuthException', subcode?: number): ApiAnswer => ({
  status,
  body: { error: { message, type, code, ...(subcode ? { error_subcode: subcode } : {}), fbtrace_id: fbtrace() } },
})

/** The path's segments without the version Graph URLs start with (/v21.0/…). */
export function graphPath(call: ApiCall): string[] {
  const parts = call.path.split('/').filter(Boolean).map(decodeURIComponent)
  if (parts[0] && /^v\d+(\.\d+)?$/.test(parts[0])) parts.shift()
  return parts
}

/** The access token as Graph accepts it: a bearer header, or access_token in the query or body. */
export function graphToken(call: ApiCall): string | undefined {
  const auth = call.headers.authorization
  if (typeof auth === 'string' && auth.startsWith('Bearer ')) return auth.slice(7)
  const body = call.body && typeof call.body === 'object' ? (call.body as Record<string, unknown>) : {}
  return call.query.access_token ?? (typeof body.access_token === 'string' ? body.access_token : undefined)
}

export const badToken = (token: string | undefined): ApiAnswer | undefined =>
  token === DEMO_SECRETS.meta.accessToken
    ? undefined
    : token
      ? graphError(400, 190, 'Invalid OAuth access token - Cannot parse access token')
      : graphError(400, 2500, 'An active access token must be used to query information about the current user.')

/** A body field that form posts send as a JSON string (curl -d "recipient={'id':…}"). */
export function field(body: unknown, name: string): unknown {
  const v = body && typeof body === 'object' ? (body as Record<string, unknown>)[name] : undefined
  if (typeof v !== 'string' || !/^\s*[{[]/.test(v)) return v
  try {
    return JSON.parse(v.replace(/'/g, '"'))
  } catch {
    return v
  }
}

export const unsupported = (method: string, id: string): ApiAnswer =>
  graphError(
    400,
    100,
    `Unsupported ${method.toLowerCase()} request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
    'GraphMethodException',
    33,
  )

export const missingParam = (name: string): ApiAnswer => graphError(400, 100, `(#100) The parameter ${name} is required`)

// ---- the fake Graph API for Pages -------------------------------------------------------------

const PAGES = new Map(DEMO_CHANNELS.filter((c) => c.platform === 'facebook').map((c) => [c.accountId, c.name]))

/** Citizens the maker sent Messenger messages for: Graph shows a profile only to a Page the person wrote to. */
const PROFILES = new Map<string, string>()

/** Remembers what the maker sent, so the fake can answer for it later; the oldest goes past 10,000. */
export function rememberProfile<T>(profiles: Map<string, T>, id: string, profile: T): void {
  profiles.set(id, profile)
  if (profiles.size > 10_000) profiles.delete(profiles.keys().next().value!)
}

/** The fields asked for (?fields=a,b) of what Graph knows, with the id as Graph always adds it. */
export function requestedFields(call: ApiCall, id: string, known: Record<string, string>): ApiAnswer {
  const asked = (call.query.fields ?? '').split(',').filter((f) => Object.hasOwn(known, f))
  return { status: 200, body: { ...Object.fromEntries(asked.map((f) => [f, known[f]])), id } }
}

/** The User Profile API's answer for a PSID: Graph splits the name at the first space. */
function messengerProfile(call: ApiCall, psid: string): ApiAnswer | undefined {
  const name = PROFILES.get(psid)
  if (name === undefined) return undefined
  const [first = '', ...rest] = name.split(' ')
  return requestedFields(call, psid, { name, first_name: first, last_name: rest.join(' ') })
}

export const facebookApi: PlatformApi = (call) => {
  const parts = graphPath(call)
  const denied = badToken(graphToken(call))
  if (denied) return denied
  const [objectId, edge, ...more] = parts
  if (!objectId || more.length) return graphError(400, 2500, `Unknown path components: /${parts.join('/')}`)

  if (call.method === 'GET' && !edge) {
    const name = PAGES.get(objectId)
    return name ? { status: 200, body: { id: objectId, name } } : (messengerProfile(call, objectId) ?? unsupported('GET', objectId))
  }

  if (call.method === 'POST' && edge === 'comments') {
    const message = field(call.body, 'message')
    if (typeof message !== 'string' || !message.trim()) return graphError(400, 100, '(#100) Missing message or attachment')
    if (message.length > 8000) return graphError(400, 100, '(#100) Param message must be at most 8000 characters long')
    // A comment id is "<object>_<comment>": under a post "<page>_<post>" the object is the post,
    // under a comment "<post>_<comment>" the reply joins the same post.
    const [first, second] = objectId.split('_')
    const object = second && PAGES.has(first!) ? second : first!
    return { status: 200, body: { id: `${object}_${graphNumericId()}` } }
  }

  if (call.method === 'POST' && edge === 'messages') {
    if (!PAGES.has(objectId)) return unsupported('POST', objectId)
    const recipient = field(call.body, 'recipient') as { id?: unknown } | undefined
    const message = field(call.body, 'message') as { text?: unknown } | undefined
    if (!recipient || typeof recipient.id !== 'string' || !recipient.id) return missingParam('recipient')
    if (!message || typeof message.text !== 'string' || !message.text) return graphError(400, 100, '(#100) The parameter message[text] is required')
    if (message.text.length > MESSENGER_MAX_CHARS)
      return graphError(400, 100, `(#100) Length of param message[text] must be less than or equal to ${MESSENGER_MAX_CHARS}`)
    if (field(call.body, 'messaging_type') === undefined) return missingParam('messaging_type')
    return { status: 200, body: { recipient_id: recipient.id, message_id: `m_${randomBytes(30).toString('base64url')}` } }
  }

  return graphError(400, 100, `(#100) Unsupported ${call.method} on /${parts.join('/')}`)
}

// ---- signed `page` deliveries -----------------------------------------------------------------

const seconds = (ms: number) => Math.floor(ms / 1000)

/**
 * Comments and mentions go as changes of one entry (Meta batches them); each Messenger event is an
 * entry of its own (its `messaging` array holds one event). For a comment, threadId is the post and
 * parentId, when it names a comment, the comment answered. In Messenger the conversation is the
 * citizen: an echo (fromAccount) goes to the citizen named by threadId.
 */
export const facebookMaker: DeliveryMaker = {
  platform: 'facebook',
  kinds: ['comment', 'dm', 'mention'],
  make(channel, posts) {
    const pageId = channel.accountId
    const changes: unknown[] = []
    const entries: unknown[] = []
    for (const p of posts) {
      const from = p.fromAccount ? { id: pageId, name: channel.name } : { id: p.authorId, name: p.authorName }
      if (p.kind === 'dm') {
        const citizen = p.fromAccount ? p.threadId : p.authorId
        if (!p.fromAccount) rememberProfile(PROFILES, citizen, p.authorName)
        const message = { mid: p.messageId, text: p.text, ...(p.fromAccount ? { is_echo: true, app_id: Number(PAGE_INBOX_APP_ID) } : {}) }
        entries.push({
          id: pageId,
          time: p.at,
          messaging: [{ sender: { id: p.fromAccount ? pageId : citizen }, recipient: { id: p.fromAccount ? citizen : pageId }, timestamp: p.at, message }],
        })
      } else if (p.kind === 'mention') {
        // Someone else's post, mentioning the Page in a comment under it.
        changes.push({
          field: 'mention',
          value: {
            message: p.text,
            post_id: `${p.authorId}_${p.threadId}`,
            comment_id: `${p.threadId}_${p.messageId}`,
            created_time: seconds(p.at),
            item: 'comment',
            verb: 'add',
          },
        })
      } else {
        const postId = `${pageId}_${p.threadId}`
        const parent = p.parentId && p.parentId !== p.threadId ? `${p.threadId}_${p.parentId}` : postId
        changes.push({
          field: 'feed',
          value: {
            from,
            post: {
              status_type: 'added_photos',
              is_published: true,
              updated_time: new Date(p.at).toISOString().replace(/\.\d+Z$/, '+0000'),
              promotion_status: 'inactive',
              id: postId,
            },
            message: p.text,
            post_id: postId,
            comment_id: `${p.threadId}_${p.messageId}`,
            created_time: seconds(p.at),
            item: 'comment',
            parent_id: parent,
            verb: 'add',
          },
        })
      }
    }
    if (changes.length) entries.unshift({ id: pageId, time: seconds(Math.max(...posts.map((p) => p.at))), changes })
    return signedMetaDelivery(channel, { object: 'page', entry: entries })
  },
}
