// Posts in an Account Activity delivery (tweet_create_events, tweet_delete_events): v1.1 Tweet
// objects about the subscribed account — mentions of it, replies to it, and its own posts.
import type { ItemKind } from '@tanggap/shared'
import { clip, MAX_NAME, name, obj, str, text, type Json } from '../read.ts'
import type { NormalizedEvent } from '../types.ts'
import { idStr, parseCreatedAt, plausible } from './formats.ts'

export interface XContext {
  /** The subscribed account (for_user_id): the government's own X account. */
  forUser: string
  receivedAt: number
}

/** An entry that cannot be read; the delivery's other entries still count. */
export class Unreadable extends Error {}

// v1.1 text escapes &, < and > as HTML entities (⚠ documented for REST/stream Tweets; AAA sends the
// same Tweet objects). One pass, so a literal "&amp;" the citizen typed comes back as "&amp;".
const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>' }
const unescapeEntities = (s: string) => s.replace(/&(?:amp|lt|gt);/g, (e) => ENTITIES[e]!)

/** The whole text: extended_tweet.full_text when X cut `text` at 140 (compatibility mode), else text. */
function tweetText(t: Json): string | undefined {
  const raw = str(obj(t.extended_tweet)?.full_text) ?? str(t.full_text) ?? str(t.text)
  return raw === undefined ? undefined : text(unescapeEntities(raw))
}

export function userName(user: Json | undefined, fallbackId: string): string {
  const handle = str(user?.screen_name, 50)?.trim()
  return name(user?.name) ?? clip(handle ? `@${handle}` : fallbackId, MAX_NAME)
}

/** The platform's time of a post: timestamp_ms (ms) first, then created_at (s), else when we received it. */
function sentAt(t: Json, x: XContext): number {
  return plausible(t.timestamp_ms, x.receivedAt) ?? plausible(parseCreatedAt(t.created_at), x.receivedAt) ?? x.receivedAt
}

/**
 * One tweet_create_events entry → one message, or null for posts that are not conversation:
 * retweets (no words of their own) and the account's own posts that answer no one (announcements,
 * its own thread continuations).
 *
 * Threads, as far as a v1.1 payload allows (it names only the direct parent, never the root):
 * - a citizen's post is the root of its own thread. Its parent (parentExternalId) still puts it in
 *   a conversation we hold: a follow-up under their own tweet, an answer to our reply in their item.
 *   A reply to a post we never saw (someone else's tweet) is its own item, so two citizens answering
 *   the same outside tweet are two items; each reply under one of our announcements is one too;
 * - the account's own reply belongs to the thread of the post it answers.
 */
export function readTweet(entry: unknown, x: XContext): NormalizedEvent | null {
  const t = obj(entry)
  if (!t) throw new Unreadable('a tweet_create_events entry is not an object')
  const id = idStr(t.id_str)
  if (!id) throw new Unreadable('a tweet without a string id_str')
  const user = obj(t.user)
  const authorId = idStr(user?.id_str)
  if (!authorId) throw new Unreadable(`tweet ${id} without user.id_str`)
  if (t.retweeted_status !== undefined && t.retweeted_status !== null) return null

  const out = authorId === x.forUser
  const parent = idStr(t.in_reply_to_status_id_str) ?? null
  const parentUser = idStr(t.in_reply_to_user_id_str) ?? null
  const repliesToUs = parent !== null && parentUser === x.forUser
  // Chatwoot's rule for native replies: the account's own tweet that answers a post.
  if (out && (parent === null || repliesToUs)) return null

  const text = tweetText(t)
  if (text === undefined) throw new Unreadable(`tweet ${id} without text`)
  const at = sentAt(t, x)
  const kind: ItemKind = repliesToUs ? 'comment' : 'mention'

  // An edited post gets a new id; edit_history names the first one (⚠ enterprise v1.1 field, assumed
  // in AAA too). We keep the first id and update its text, as the citizen sees one post.
  const history = obj(t.edit_history)
  const initial = idStr(history?.initial_tweet_id)
  if (initial && initial !== id) {
    return {
      accountId: x.forUser,
      verb: 'edit',
      kind,
      externalThreadId: initial,
      externalId: initial,
      direction: out ? 'out' : 'in',
      authorName: userName(user, authorId),
      authorExternalId: authorId,
      text,
      sentAt: at,
    }
  }
  return {
    accountId: x.forUser,
    verb: 'add',
    kind,
    externalThreadId: out && parent !== null ? parent : id,
    externalId: id,
    parentExternalId: parent,
    direction: out ? 'out' : 'in',
    authorName: userName(user, authorId),
    authorExternalId: authorId,
    text,
    sentAt: at,
  }
}

/** One tweet_delete_events entry: {status: {id, user_id}, timestamp_ms} → the message is marked deleted. */
export function readTweetDelete(entry: unknown, x: XContext): NormalizedEvent {
  const e = obj(entry)
  const status = obj(e?.status)
  const id = idStr(status?.id) ?? idStr(status?.id_str)
  if (!e || !id) throw new Unreadable('a tweet_delete_events entry without status.id')
  const userId = idStr(status?.user_id) ?? idStr(status?.user_id_str) ?? null
  return {
    accountId: x.forUser,
    verb: 'delete',
    kind: 'mention',
    externalThreadId: id,
    externalId: id,
    direction: userId === x.forUser ? 'out' : 'in',
    authorName: '',
    authorExternalId: userId,
    text: '',
    sentAt: plausible(e.timestamp_ms, x.receivedAt) ?? x.receivedAt,
  }
}
