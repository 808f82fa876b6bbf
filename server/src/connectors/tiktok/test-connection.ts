// A cheap authenticated call that proves the token works for this account: GET business/get/
// (the account's profile), answered as "TikTok @username (display name)".
import type { Fetch, OpenChannel } from '../types.ts'
import { callTiktok } from './api.ts'
import { nameOf } from './formats.ts'

export async function testTiktokConnection(channel: OpenChannel, apiBase: string, fetch: Fetch): Promise<string> {
  const accessToken = channel.credentials.accessToken
  if (!accessToken) throw new Error('The TikTok channel has no access token')
  const data = await callTiktok({
    apiBase,
    fetch,
    accessToken,
    method: 'GET',
    path: 'business/get/',
    query: { business_id: channel.accountId, fields: JSON.stringify(['username', 'display_name']) },
  })
  const username = nameOf(data.username)
  const display = nameOf(data.display_name)
  if (!username && !display) return `TikTok account ${channel.accountId} reachable`
  return `TikTok ${username ? `@${username}` : ''}${username && display ? ' ' : ''}${display ? `(${display})` : ''}`
}
