// Direct messages in an Account Activity delivery (direct_message_events, type message_create).
// A conversation is one citizen's DMs with the account, so its thread is the citizen's user id.
import { field, obj, text, type Json } from '../read.ts'
import type { NormalizedEvent } from '../types.ts'
import { idStr, plausible } from './formats.ts'
import { Unreadable, userName, type XContext } from './tweets.ts'

/**
 * The user objects of a delivery, by id. Real deliveries carry a top-level `users` map (Chatwoot
 * reads it); X's own sample nests the users inside `apps`, so that is read as a fallback.
 */
export function usersOf(body: Json): (id: string) => Json | undefined {
  const users = obj(body.users)
  const apps = obj(body.apps)
  const nested = obj(apps?.users)
  return (id) => obj(field(users, id)) ?? obj(field(nested, id)) ?? obj(field(apps, id))
}

export function readDm(entry: unknown, x: XContext, user: (id: string) => Json | undefined): NormalizedEvent | null {
  const e = obj(entry)
  if (!e) throw new Unreadable('a direct_message_events entry is not an object')
  // Only message_create carries words; other types (if X adds any) are not conversation.
  if (e.type !== 'message_create') return null
  const id = idStr(e.id)
  if (!id) throw new Unreadable('a direct message without a string id')
  const create = obj(e.message_create)
  const sender = idStr(create?.sender_id)
  const recipient = idStr(obj(create?.target)?.recipient_id)
  if (!create || !sender || !recipient) throw new Unreadable(`direct message ${id} without sender_id or target.recipient_id`)
  const out = sender === x.forUser
  // A DM between two other people, or the account writing to itself: not a citizen conversation.
  if (out === (recipient === x.forUser)) return null
  const data = obj(create.message_data)
  const body = text(data?.text)
  if (body === undefined) throw new Unreadable(`direct message ${id} without message_data.text`)
  return {
    accountId: x.forUser,
    verb: 'add',
    kind: 'dm',
    externalThreadId: out ? recipient : sender,
    externalId: id,
    parentExternalId: null,
    direction: out ? 'out' : 'in',
    authorName: userName(user(sender), sender),
    authorExternalId: sender,
    // A photo-only DM still has text: X puts the media's t.co link in it.
    text: body,
    sentAt: plausible(e.created_timestamp, x.receivedAt) ?? x.receivedAt,
  }
}
