// Checks a channel's token: channels.list?mine=true (1 unit) names the channel the token belongs to,
// which must be the channel Tanggap polls.
import { clip, field, isObject, str } from '../read.ts'
import type { Fetch, OpenChannel } from '../types.ts'
import { bearer, call } from './api.ts'
import { isId } from './formats.ts'

export async function testYoutubeConnection(channel: OpenChannel, apiBase: string, fetch: Fetch): Promise<string> {
  const { json } = await call(fetch, `${apiBase}/channels?part=snippet&mine=true`, { auth: bearer(channel) }, 'channels.list')
  const first = Array.isArray(json.items) ? json.items[0] : undefined
  if (!isObject(first) || !isId(first.id)) throw new Error('YouTube channels.list: the token belongs to no YouTube channel')
  const title = clip(str(field(first, 'snippet', 'title')) || first.id, 100)
  if (first.id !== channel.accountId) throw new Error(`YouTube: the token belongs to channel "${title}" (${first.id}), not ${channel.accountId}`)
  return `YouTube channel "${title}" (${first.id})`
}
