// Replies from Tanggap: a public reply under the citizen's latest post (POST /2/tweets with
// reply.in_reply_to_tweet_id) or a DM to the citizen (POST /2/dm_conversations/with/:id/messages).
// The id X gives back is the id of the echo AAA delivers later, so the reply counts once.
import { PermanentJobError } from '../../jobs/registry.ts'
import { field, obj, str } from '../read.ts'
import type { Fetch, OpenChannel, Sender } from '../types.ts'
import { callX } from './api.ts'
import { idStr } from './formats.ts'
import { DM_MAX, dmLength, TWEET_MAX, tweetLength } from './length.ts'

function tokenOf(channel: OpenChannel): string {
  const token = channel.credentials.accessToken
  if (!token) throw new PermanentJobError('X channel has no access token: set it in the channel settings')
  return token
}

export const sendX: Sender = async (req) => {
  const token = tokenOf(req.channel)
  if (req.kind === 'dm') {
    // A DM thread's id is the citizen's user id, so it serves when the last citizen message is unknown.
    const to = idStr(req.recipientExternalId) ?? idStr(req.externalThreadId)
    if (!to) throw new PermanentJobError('X: this conversation has no recipient user id')
    const length = dmLength(req.text)
    if (length > DM_MAX) throw new PermanentJobError(`X: a direct message may have at most ${DM_MAX} characters; this one has ${length}`)
    const res = await callX(req.fetch, req.apiBase, token, 'POST', `/2/dm_conversations/with/${to}/messages`, { text: req.text })
    const id = idStr(field(res, 'data', 'dm_event_id'))
    // The DM went out; retrying would send it twice, so a missing id is not retried.
    if (!id) throw new PermanentJobError('X accepted the direct message but returned no dm_event_id')
    return { externalId: id }
  }
  const parent = idStr(req.replyToExternalId)
  if (!parent) throw new PermanentJobError('X: there is no citizen post to reply to')
  const length = tweetLength(req.text)
  if (length > TWEET_MAX)
    throw new PermanentJobError(`X: a reply may be ${TWEET_MAX} characters as X counts them; this one is ${length}. Shorten it or answer by DM`)
  const res = await callX(req.fetch, req.apiBase, token, 'POST', '/2/tweets', { text: req.text, reply: { in_reply_to_tweet_id: parent } })
  const id = idStr(field(res, 'data', 'id'))
  if (!id) throw new PermanentJobError('X accepted the reply but returned no post id')
  return { externalId: id }
}

/** GET /2/users/me: the token works and belongs to this channel's account. */
export async function testXConnection(channel: OpenChannel, apiBase: string, fetch: Fetch): Promise<string> {
  const res = await callX(fetch, apiBase, tokenOf(channel), 'GET', '/2/users/me')
  const user = obj(obj(res)?.data)
  const id = idStr(user?.id)
  const username = str(user?.username, 100) ?? '?'
  const name = str(user?.name, 200) ?? ''
  if (!id) throw new Error('X answered /2/users/me without a user id')
  if (id !== channel.accountId) throw new Error(`The access token belongs to @${username} (id ${id}), not to this channel's account ${channel.accountId}`)
  return `@${username}${name && name !== `@${username}` ? ` (${name})` : ''}, id ${id}`
}
