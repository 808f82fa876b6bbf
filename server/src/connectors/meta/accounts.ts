// The accounts a Meta delivery speaks for, read by the same normalizers its job runs: the account of
// every event (a Page, an Instagram account, a WhatsApp phone number id; an entry without an id names
// it through its messages) and, for WhatsApp, of every status it reports about our sends. Reading
// them the job's way leaves no body that binds here to one account and lands on another later.
import type { Platform } from '@tanggap/shared'
import { facebookConnector } from '../facebook/index.ts'
import { instagramConnector } from '../instagram/index.ts'
import type { Connector, NormalizeContext } from '../types.ts'
import { whatsappConnector } from '../whatsapp/index.ts'

export type MetaPlatform = 'facebook' | 'instagram' | 'whatsapp'

const CONNECTORS: Record<MetaPlatform, Connector> = { facebook: facebookConnector, instagram: instagramConnector, whatsapp: whatsappConnector }

/** Meta bodies name no OPD (only the website form does): nothing here asks for one. */
const NO_ROUTING: NormalizeContext = {
  opdIdByCode: () => undefined,
  triageOpdId: () => {
    throw new Error('a Meta delivery asked for the triage OPD')
  },
}

export interface Account {
  platform: Platform
  accountId: string
}

/** The distinct accounts of the body's events and statuses; throws (a plain Error) when the body cannot be read at all. */
export function accountsOf(platform: MetaPlatform, rawBody: Buffer, receivedAt: number): Account[] {
  const connector = CONNECTORS[platform]
  const delivery = { id: 0, platform, channelId: null, dedupeKey: '', rawBody, receivedAt, trackingCode: null }
  const found = new Map<string, Account>()
  const add = (p: Platform, accountId: string) => found.set(`${p}:${accountId}`, { platform: p, accountId })
  for (const e of connector.normalize(delivery, NO_ROUTING)) add(e.platform ?? platform, e.accountId)
  for (const st of connector.statuses?.(delivery) ?? []) add(platform, st.accountId)
  return [...found.values()]
}
