// X in the simulator: the v2 endpoints Tanggap calls (POST /2/tweets, POST
// /2/dm_conversations/with/:id/messages, GET /2/users/me), answering with X's JSON and error
// shapes, and a maker of signed Account Activity deliveries carrying v1.1 Tweet objects and DM events.
import { DEMO_CHANNELS } from '@tanggap/db/seed'
import { DM_MAX, TWEET_MAX, tweetLength } from '../../connectors/x/length.ts'
import { signX, X_SIGNATURE_HEADER } from '../../connectors/x/verify.ts'
import type { ApiAnswer, ApiCall, DeliveryMaker, PlatformApi, SimChannel, SimPost } from '../types.ts'

type Json = Record<string, unknown>

/** The handle in a channel name such as "X @pemkabtegal". */
const handleOf = (channel: { name: string; accountId: string }) => /@(\w{1,15})/.exec(channel.name)?.[1] ?? `akun${channel.accountId.slice(-6)}`

// The demo accounts, by their access token: who the caller is, as X knows from the token.
const ACCOUNTS = new Map(
  DEMO_CHANNELS.filter((c) => c.platform === 'x' && c.credentials?.accessToken).map((c) => [
    c.credentials!.accessToken!,
    { id: c.accountId, name: c.name.replace(/^X\s+/, ''), username: handleOf(c) },
  ]),
)

// Snowflake-like ids: milliseconds since X's epoch, shifted, plus a sequence.
const X_EPOCH = 1288834974657n
let sequence = 0n
const snowflake = () => String(((BigInt(Date.now()) - X_EPOCH) << 22n) | (sequence++ & 0xfffn))

const problem = (status: number, title: string, detail: string, type = 'about:blank'): ApiAnswer => ({ status, body: { title, detail, type, status } })
const invalid = (message: string, parameter: string): ApiAnswer => ({
  status: 400,
  body: {
    errors: [{ parameters: { [parameter]: [] }, message }],
    title: 'Invalid Request',
    detail: 'One or more parameters to your request was invalid.',
    type: 'https://api.twitter.com/2/problems/invalid-request',
  },
})

const isId = (v: unknown): v is string => typeof v === 'string' && /^[0-9]{1,25}$/.test(v)

export const xApi: PlatformApi = (call: ApiCall) => {
  const auth = call.headers.authorization
  const account = typeof auth === 'string' && auth.startsWith('Bearer ') ? ACCOUNTS.get(auth.slice(7)) : undefined
  if (!account) return problem(401, 'Unauthorized', 'Unauthorized')
  const body = (typeof call.body === 'object' && call.body !== null ? call.body : {}) as Json

  if (call.method === 'GET' && call.path === '/2/users/me') return { status: 200, body: { data: account } }

  if (call.method === 'POST' && call.path === '/2/tweets') {
    if (typeof body.text !== 'string' || !body.text) return invalid('$.text: must be a non-empty string', 'text')
    if (tweetLength(body.text) > TWEET_MAX)
      return problem(
        403,
        'Forbidden',
        'Your Tweet text is too long. For more information on how X determines text length see https://github.com/twitter/twitter-text.',
      )
    const reply = body.reply as Json | undefined
    if (reply !== undefined && !isId(reply?.in_reply_to_tweet_id))
      return invalid('$.reply.in_reply_to_tweet_id: must be a string of digits', 'reply.in_reply_to_tweet_id')
    const id = snowflake()
    return { status: 201, body: { data: { id, text: body.text, edit_history_tweet_ids: [id] } } }
  }

  const dm = /^\/2\/dm_conversations\/with\/([^/]+)\/messages$/.exec(call.path)
  if (call.method === 'POST' && dm) {
    const participant = decodeURIComponent(dm[1]!)
    if (!isId(participant)) return invalid(`The \`participant_id\` query parameter value [${participant}] is not valid`, 'participant_id')
    if (typeof body.text !== 'string' || !body.text) return invalid('$.text: must be a non-empty string', 'text')
    if ([...body.text].length > DM_MAX) return invalid('$.text: is too long', 'text')
    const [a, b] = [participant, account.id].sort((x, y) => (BigInt(x) < BigInt(y) ? -1 : 1))
    return { status: 201, body: { data: { dm_conversation_id: `${a}-${b}`, dm_event_id: snowflake() } } }
  }

  return problem(404, 'Not Found Error', `Could not find ${call.method} ${call.path}`, 'https://api.twitter.com/2/problems/resource-not-found')
}

// ---- deliveries ----------------------------------------------------------------------------

// JSON numbers as X writes them: exact digits, even past 2^53 (which JSON.stringify cannot do).
const NUM = '\u0000num:'
const num = (id: string) => `${NUM}${id}`
const stringify = (v: unknown) => JSON.stringify(v).replace(/"\\u0000num:(\d+)"/g, '$1')

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat']
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
const pad = (n: number) => String(n).padStart(2, '0')
/** v1.1 created_at: "Wed Oct 10 20:19:24 +0000 2018". */
export function createdAt(ms: number): string {
  const d = new Date(ms)
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000 ${d.getUTCFullYear()}`
}

/** v1.1 text escapes &, < and >. */
const escapeText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')

const screenNameOf = (name: string, id: string) =>
  (name
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9]/g, '')
    .slice(0, 11) || 'warga') + id.slice(-4)

function user(id: string, name: string, screenName: string): Json {
  return {
    id: num(id),
    id_str: id,
    name,
    screen_name: screenName,
    location: 'Kabupaten Tegal, Jawa Tengah',
    url: null,
    description: '',
    protected: false,
    verified: false,
    followers_count: 120,
    friends_count: 180,
    listed_count: 0,
    favourites_count: 40,
    statuses_count: 310,
    created_at: 'Mon Mar 02 03:04:05 +0000 2015',
    geo_enabled: false,
    lang: null,
    contributors_enabled: false,
    is_translator: false,
    profile_image_url_https: 'https://abs.twimg.com/sticky/default_profile_images/default_profile_normal.png',
    default_profile: true,
    default_profile_image: true,
    following: null,
    follow_request_sent: null,
    notifications: null,
  }
}

function tweet(channel: SimChannel, p: SimPost): Json {
  const handle = handleOf(channel)
  const author = p.fromAccount
    ? user(channel.accountId, channel.name.replace(/^X\s+/, ''), handle)
    : user(p.authorId, p.authorName, screenNameOf(p.authorName, p.authorId))
  // A citizen's 'comment' answers one of the account's posts (the thread); a 'mention' names the
  // account in a new post, or continues the citizen's own earlier post (parentId); the account's
  // own post answers the citizen's.
  const parent = p.fromAccount ? (p.parentId ?? p.threadId) : p.kind === 'comment' ? (p.parentId ?? p.threadId) : p.parentId
  const parentUser = p.fromAccount ? null : p.kind === 'comment' ? channel.accountId : p.parentId ? p.authorId : null
  const prefix = p.fromAccount ? '' : `@${handle} `
  const full = escapeText(prefix + p.text)
  const chars = [...full]
  const mentions = p.fromAccount
    ? []
    : [{ screen_name: handle, name: channel.name.replace(/^X\s+/, ''), id: num(channel.accountId), id_str: channel.accountId, indices: [0, handle.length + 1] }]
  const entities = { hashtags: [], urls: [], user_mentions: mentions, symbols: [] }
  // Compatibility mode: past 140 characters `text` is cut and the whole post is in extended_tweet.
  const truncated = chars.length > 140
  return {
    created_at: createdAt(p.at),
    id: num(p.messageId),
    id_str: p.messageId,
    text: truncated ? `${chars.slice(0, 113).join('')}… https://t.co/Xs1mUl4t0r` : full,
    display_text_range: [p.kind === 'comment' && !p.fromAccount ? prefix.length : 0, Math.min(chars.length, 140)],
    source: '<a href="https://mobile.twitter.com" rel="nofollow">Twitter for Android</a>',
    truncated,
    in_reply_to_status_id: parent ? num(parent) : null,
    in_reply_to_status_id_str: parent ?? null,
    in_reply_to_user_id: parentUser ? num(parentUser) : null,
    in_reply_to_user_id_str: parentUser,
    in_reply_to_screen_name: parentUser === channel.accountId ? handle : null,
    user: author,
    geo: null,
    coordinates: null,
    place: null,
    contributors: null,
    is_quote_status: false,
    ...(truncated ? { extended_tweet: { full_text: full, display_text_range: [0, chars.length], entities } } : {}),
    quote_count: 0,
    reply_count: 0,
    retweet_count: 0,
    favorite_count: 0,
    entities,
    favorited: false,
    retweeted: false,
    filter_level: 'low',
    lang: 'in',
    timestamp_ms: String(p.at),
  }
}

const SOURCE_APP = '268278'

function dmEvent(channel: SimChannel, p: SimPost): Json {
  // The account's own DM goes to the citizen the conversation is with (its thread id).
  const [sender, recipient] = p.fromAccount ? [channel.accountId, p.threadId] : [p.authorId, channel.accountId]
  return {
    type: 'message_create',
    id: p.messageId,
    created_timestamp: String(p.at),
    message_create: {
      target: { recipient_id: recipient },
      sender_id: sender,
      ...(p.fromAccount ? { source_app_id: SOURCE_APP } : {}),
      message_data: { text: p.text, entities: { hashtags: [], symbols: [], user_mentions: [], urls: [] } },
    },
  }
}

export const xMaker: DeliveryMaker = {
  platform: 'x',
  kinds: ['mention', 'comment', 'dm'],
  make(channel, posts) {
    const secret = channel.credentials.consumerSecret
    if (!secret) throw new Error(`X channel ${channel.accountId} has no consumerSecret`)
    const body: Json = { for_user_id: channel.accountId }
    const tweets = posts.filter((p) => p.kind !== 'dm')
    const dms = posts.filter((p) => p.kind === 'dm')
    if (tweets.length) Object.assign(body, { user_has_blocked: 'false', tweet_create_events: tweets.map((p) => tweet(channel, p)) })
    if (dms.length) {
      const users: Json = { [channel.accountId]: user(channel.accountId, channel.name.replace(/^X\s+/, ''), handleOf(channel)) }
      for (const p of dms) if (!p.fromAccount) users[p.authorId] = user(p.authorId, p.authorName, screenNameOf(p.authorName, p.authorId))
      const apps = dms.some((p) => p.fromAccount)
        ? { apps: { [SOURCE_APP]: { id: SOURCE_APP, name: 'Twitter Web App', url: 'https://mobile.twitter.com' } } }
        : {}
      Object.assign(body, { direct_message_events: dms.map((p) => dmEvent(channel, p)), ...apps, users })
    }
    const raw = stringify(body)
    return { method: 'POST', path: '/webhooks/x', headers: { 'content-type': 'application/json', [X_SIGNATURE_HEADER]: signX(secret, raw) }, body: raw }
  },
}
