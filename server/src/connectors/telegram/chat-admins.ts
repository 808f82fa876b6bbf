// Who administers a Telegram group: getChatAdministrators, remembered per chat for a few minutes, so
// that a busy group costs one call per few minutes rather than one per message. A failed lookup (the
// API down, a group the bot cannot see) is remembered briefly too: long enough not to ask again on
// every message of an outage, short enough that the list is read soon after it is fixed.
import { isObject } from '../read.ts'
import type { Fetch } from '../types.ts'
import { callBotApi } from './bot-api.ts'
import { optId } from './ids.ts'

const FRESH_MS = 5 * 60_000
const FAILED_MS = 30_000
const MAX_CHATS = 1_000
/** Telegram allows 50 administrators per group; more is not a list it sends. */
const MAX_ADMINS = 200
/** Deliveries wait for the lookup: a hanging API must not hold them up for long. */
const LOOKUP_TIMEOUT_MS = 5_000

/**
 * The user ids of the chat's human administrators, the owner included. Bots are left out: Telegram
 * never delivers one bot's messages to another, and our own bot's messages are recorded as we send them.
 */
export async function fetchChatAdmins(apiBase: string, token: string, chatId: string, fetch: Fetch): Promise<ReadonlySet<string>> {
  // Chat ids have at most 52 significant bits: exact as a JSON number.
  const result = await callBotApi(apiBase, token, 'getChatAdministrators', { chat_id: Number(chatId) }, fetch, LOOKUP_TIMEOUT_MS)
  if (!Array.isArray(result)) throw new Error('Telegram getChatAdministrators answered without a list of members')
  const ids = new Set<string>()
  for (const member of result.slice(0, MAX_ADMINS)) {
    if (!isObject(member) || (member.status !== 'creator' && member.status !== 'administrator')) continue
    const user = isObject(member.user) ? member.user : null
    const id = user && user.is_bot !== true ? optId(user.id) : null
    if (id) ids.add(id)
  }
  return ids
}

type Outcome = { ok: true; ids: ReadonlySet<string> } | { ok: false; error: unknown }

interface Entry {
  outcome: Promise<Outcome>
  /** Infinity while the lookup runs: callers meanwhile share it. */
  expiresAt: number
}

export interface ChatAdminCache {
  /** The chat's admin ids, from memory or from `load`; throws the lookup's error, also a remembered one. */
  get(key: string, load: () => Promise<ReadonlySet<string>>): Promise<ReadonlySet<string>>
  clear(): void
}

export function chatAdminCache(opts: { now?: () => number; freshMs?: number; failedMs?: number; maxChats?: number } = {}): ChatAdminCache {
  const now = opts.now ?? Date.now
  const freshMs = opts.freshMs ?? FRESH_MS
  const failedMs = opts.failedMs ?? FAILED_MS
  const maxChats = opts.maxChats ?? MAX_CHATS
  // A Map iterates in insertion order: re-inserting on use keeps the least recently used first.
  const entries = new Map<string, Entry>()

  function start(key: string, load: () => Promise<ReadonlySet<string>>): Entry {
    const outcome = Promise.resolve()
      .then(load)
      .then(
        (ids): Outcome => ({ ok: true, ids }),
        (error: unknown): Outcome => ({ ok: false, error }),
      )
    const entry: Entry = { outcome, expiresAt: Infinity }
    void outcome.then((o) => void (entry.expiresAt = now() + (o.ok ? freshMs : failedMs)))
    entries.set(key, entry)
    for (const oldest of entries.keys()) {
      if (entries.size <= maxChats) break
      entries.delete(oldest)
    }
    return entry
  }

  return {
    async get(key, load) {
      let entry = entries.get(key)
      if (entry) entries.delete(key)
      if (entry && entry.expiresAt <= now()) entry = undefined
      if (entry) entries.set(key, entry)
      else entry = start(key, load)
      const outcome = await entry.outcome
      if (!outcome.ok) throw outcome.error
      return outcome.ids
    },
    clear: () => entries.clear(),
  }
}
