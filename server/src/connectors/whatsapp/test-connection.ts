// A cheap authenticated read of the phone number the channel names: proves the token works for it.
//   GET {apiBase}/{PHONE_NUMBER_ID}?fields=verified_name,display_phone_number,quality_rating
import { field, str } from '../read.ts'
import type { Connector } from '../types.ts'
import { readGraphError } from './graph-error.ts'
import { graphCall } from './send.ts'

export const testWhatsappConnection: NonNullable<Connector['testConnection']> = async (channel, apiBase, fetch) => {
  const token = channel.credentials.accessToken
  if (!token) throw new Error('This WhatsApp channel has no access token')
  const url = `${apiBase}/${encodeURIComponent(channel.accountId)}?fields=verified_name,display_phone_number,quality_rating`
  const res = await graphCall(fetch, url, token)
  if (!res.ok) {
    const { code, message } = readGraphError(res.json)
    throw new Error(`WhatsApp API ${res.status}${code !== null ? ` (code ${code})` : ''}: ${message || 'no error message'}`)
  }
  const name = str(field(res.json, 'verified_name'), 200) ?? 'WhatsApp number'
  const number = str(field(res.json, 'display_phone_number'), 40)
  const quality = str(field(res.json, 'quality_rating'), 20)
  return `${name}${number ? ` (${number})` : ''}${quality ? `, quality ${quality}` : ''}`
}
