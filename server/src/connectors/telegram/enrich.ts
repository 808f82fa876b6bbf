// Staff often answer citizens in a discussion or community group from their personal accounts. One
// update cannot tell them from citizens; the group's administrator list can (platform-specs.md §6 (f)):
// a new group message by one of the group's admins is the government's reply and stops the clock.
// Without the list (lookup failed) the message stays a citizen's, as delivered.
import type { Fetch, NormalizedEvent, OpenChannel } from '../types.ts'
import { botTokenOf } from './bot-api.ts'
import { chatAdminCache, fetchChatAdmins } from './chat-admins.ts'

/** Every channel's group admin lists, remembered across deliveries. */
export const groupAdmins = chatAdminCache()

/** A group message's thread is `<chat id>:<root message id>` (ids.ts), and group chat ids are negative. */
const GROUP_THREAD = /^(-\d{1,16}):\d{1,16}$/
/** A user's id (a sender chat's id, a channel or the group itself, is negative). */
const USER_ID = /^[1-9]\d{0,15}$/

/**
 * The group chat of a Telegram event, or null. Only group messages are comments: private chats with
 * the bot and Telegram Business chats are DMs, where no admin list applies.
 */
function groupChatOf(e: Pick<NormalizedEvent, 'kind' | 'externalThreadId'>): string | null {
  if (e.kind !== 'comment') return null
  return GROUP_THREAD.exec(e.externalThreadId)?.[1] ?? null
}

/** Only a new message's direction counts: an edit or deletion changes a message already stored. */
const mayBeStaff = (e: NormalizedEvent): boolean =>
  e.verb === 'add' && e.direction === 'in' && groupChatOf(e) !== null && !!e.authorExternalId && USER_ID.test(e.authorExternalId)

/** Marks group messages by the group's admins as the government's; the deliveries service keeps batches in order meanwhile. */
export async function enrichTelegram(events: NormalizedEvent[], channel: OpenChannel, apiBase: string, fetch: Fetch): Promise<NormalizedEvent[]> {
  const candidates = events.filter(mayBeStaff)
  if (!candidates.length) return events
  const token = botTokenOf(channel)
  const chats = [...new Set(candidates.map((e) => groupChatOf(e)!))]
  // The bot and the API it is asked through are part of the key: another bot may see another group.
  const lists = await Promise.all(
    chats.map((chat) => groupAdmins.get(`${apiBase}\n${channel.accountId}\n${chat}`, () => fetchChatAdmins(apiBase, token, chat, fetch))),
  )
  const adminsOf = new Map(chats.map((chat, i) => [chat, lists[i]!]))
  return events.map((e) => (mayBeStaff(e) && adminsOf.get(groupChatOf(e)!)?.has(e.authorExternalId!) ? { ...e, direction: 'out' } : e))
}
