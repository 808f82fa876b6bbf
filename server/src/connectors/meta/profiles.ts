// Names of citizens writing in Messenger and Instagram Direct. The webhook carries only a page- or
// Instagram-scoped id (PSID / IGSID), so the normalizer writes a placeholder ("Pengguna Messenger
// …5127"); before the events are stored, the name is read with the channel's token:
//   Messenger  GET /{PSID}?fields=name,first_name,last_name  (User Profile API)
//   Instagram  GET /{IGSID}?fields=name,username             (Instagram Messaging User Profile API)
// Each citizen costs one call per channel: a name is remembered for a day, a refusal (no consent, a
// blocked or deleted account) for an hour. A channel stops asking for a while when Graph throttles
// it (HTTP 429 or a rate-limit code) or cannot be reached, and after MAX_CALLS_PER_HOUR lookups in
// an hour. Whatever fails keeps the placeholder, and is logged.
import { PermanentJobError } from '../../jobs/registry.ts'
import { GraphRateLimited, graphRequest } from '../facebook/graph.ts'
import { clip, MAX_NAME, name, type Json } from '../read.ts'
import type { EnrichContext, Fetch, NormalizedEvent, OpenChannel } from '../types.ts'

const NAME_MS = 24 * 3_600_000
const NO_NAME_MS = 3_600_000
const THROTTLED_MS = 15 * 60_000
const UNREACHABLE_MS = 60_000
const HOUR_MS = 3_600_000
/** ⚠ Well inside Graph's budgets (Messenger: 200 calls a day per engaged user); a busy hour keeps placeholders beyond it. */
const MAX_CALLS_PER_HOUR = 200
/** Citizens looked up per delivery and channel; the others are named by their next message. */
const MAX_PER_DELIVERY = 20
const MAX_REMEMBERED = 10_000
/** A delivery waits for these lookups, so they give up sooner than a send. */
const LOOKUP_TIMEOUT_MS = 5_000
/** PSIDs and IGSIDs are decimal; anything else is not looked up. */
const SCOPED_ID = /^\d{1,30}$/

export interface ProfileApi {
  label: 'Facebook' | 'Instagram'
  fields: string
  /** The name to show from Graph's answer. */
  nameOf(profile: Json): string | undefined
}

export const MESSENGER_PROFILE: ProfileApi = {
  label: 'Facebook',
  fields: 'name,first_name,last_name',
  nameOf: (p) => name(p.name) ?? name([name(p.first_name), name(p.last_name)].filter(Boolean).join(' ')),
}

/** Name and @username together: the name is what the citizen calls themselves, the username what finds them on Instagram. */
export const INSTAGRAM_PROFILE: ProfileApi = {
  label: 'Instagram',
  fields: 'name,username',
  nameOf: (p) => {
    const full = name(p.name)
    const username = name(p.username)
    if (!username) return full
    return clip(full ? `${full} (@${username})` : `@${username}`, MAX_NAME)
  },
}

/** A time-stamped memory, valid for `ms` after `at` on the injected clock (a clock set back makes it stale, not eternal). */
const within = (at: number, ms: number, now: number) => now >= at && now - at < ms

interface Remembered {
  name: string | null
  at: number
  ms: number
}

interface Budget {
  hourFrom: number
  calls: number
  pausedAt: number
  pauseMs: number
}

// Per (API, account, citizen) and per (API, account): the API's base is part of the key, so two
// configurations never share what they learnt.
const remembered = new Map<string, Remembered>()
const running = new Map<string, Promise<string | null>>()
const budgets = new Map<string, Budget>()

function remember(key: string, value: Remembered): void {
  remembered.delete(key)
  remembered.set(key, value)
  // A Map iterates in insertion order: the first key is the least recently learnt.
  if (remembered.size > MAX_REMEMBERED) remembered.delete(remembered.keys().next().value!)
}

/** Takes one call from the channel's budget; false while it is paused or spent. */
function spend(channelKey: string, now: number): boolean {
  let b = budgets.get(channelKey)
  if (!b) budgets.set(channelKey, (b = { hourFrom: now, calls: 0, pausedAt: 0, pauseMs: 0 }))
  if (within(b.pausedAt, b.pauseMs, now)) return false
  if (!within(b.hourFrom, HOUR_MS, now)) Object.assign(b, { hourFrom: now, calls: 0 })
  if (b.calls >= MAX_CALLS_PER_HOUR) return false
  b.calls++
  return true
}

function pause(channelKey: string, now: number, ms: number): void {
  const b = budgets.get(channelKey)
  if (b) Object.assign(b, { pausedAt: now, pauseMs: ms })
}

async function lookup(api: ProfileApi, userId: string, channel: OpenChannel, apiBase: string, fetch: Fetch, ctx: EnrichContext): Promise<string | null> {
  const channelKey = `${apiBase}\n${channel.accountId}`
  try {
    const profile = await graphRequest({
      label: api.label,
      apiBase,
      channel,
      method: 'GET',
      path: [userId],
      query: { fields: api.fields },
      fetch,
      timeoutMs: LOOKUP_TIMEOUT_MS,
    })
    const found = api.nameOf(profile) ?? null
    remember(`${channelKey}\n${userId}`, { name: found, at: ctx.clock(), ms: found ? NAME_MS : NO_NAME_MS })
    return found
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err)
    if (err instanceof GraphRateLimited) pause(channelKey, ctx.clock(), THROTTLED_MS)
    else if (err instanceof PermanentJobError) remember(`${channelKey}\n${userId}`, { name: null, at: ctx.clock(), ms: NO_NAME_MS })
    else pause(channelKey, ctx.clock(), UNREACHABLE_MS)
    ctx.log.warn({ channelId: channel.id, reason }, 'profile lookup failed; the citizen keeps the placeholder name')
    return null
  }
}

/** The citizen's name: remembered, shared with a lookup already running, or looked up if the budget allows. */
function nameOf(api: ProfileApi, userId: string, channel: OpenChannel, apiBase: string, fetch: Fetch, ctx: EnrichContext): Promise<string | null> {
  const channelKey = `${apiBase}\n${channel.accountId}`
  const key = `${channelKey}\n${userId}`
  const now = ctx.clock()
  const known = remembered.get(key)
  if (known && within(known.at, known.ms, now)) return Promise.resolve(known.name)
  const pending = running.get(key)
  if (pending !== undefined) return pending
  if (!spend(channelKey, now)) return Promise.resolve(null)
  const started = lookup(api, userId, channel, apiBase, fetch, ctx).finally(() => running.delete(key))
  running.set(key, started)
  return started
}

/** Whether the event is a citizen's new direct message whose author can be looked up. */
export const wantsProfileName = (e: NormalizedEvent): boolean =>
  e.kind === 'dm' && e.direction === 'in' && e.verb === 'add' && e.authorExternalId !== null && SCOPED_ID.test(e.authorExternalId)

/** Puts the citizens' names on their direct messages; events whose name is not found stay as they are. Never throws. */
export async function withProfileNames(
  api: ProfileApi,
  events: NormalizedEvent[],
  channel: OpenChannel,
  apiBase: string,
  fetch: Fetch,
  ctx: EnrichContext,
): Promise<NormalizedEvent[]> {
  const citizens = [...new Set(events.filter(wantsProfileName).map((e) => e.authorExternalId!))].slice(0, MAX_PER_DELIVERY)
  // Without a token nothing can be asked; testing the channel's connection says so.
  if (!citizens.length || !channel.credentials.accessToken) return events
  const names = new Map<string, string | null>()
  await Promise.all(citizens.map(async (id) => void names.set(id, await nameOf(api, id, channel, apiBase, fetch, ctx))))
  return events.map((e) => {
    const found = wantsProfileName(e) ? names.get(e.authorExternalId!) : undefined
    return found ? { ...e, authorName: found } : e
  })
}
