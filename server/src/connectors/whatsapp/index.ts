// WhatsApp Business Cloud API: deliveries arrive through the shared Meta webhook (connectors/meta),
// replies go out through the Graph API, free-form only within 24 hours of the citizen's last message.
import type { Connector } from '../types.ts'
import { normalizeWhatsapp } from './normalize.ts'
import { sendWhatsapp } from './send.ts'
import { readStatuses } from './statuses.ts'
import { testWhatsappConnection } from './test-connection.ts'

export const whatsappConnector: Connector = {
  platforms: ['whatsapp'],
  normalize: normalizeWhatsapp,
  send: sendWhatsapp,
  // A send Meta accepted can still fail later (e.g. 131047, outside the 24-hour window): only the status says so.
  statuses: (delivery) =>
    readStatuses(delivery.rawBody).map((st) => ({
      accountId: st.accountId,
      externalId: st.externalId,
      status: st.status,
      at: st.at,
      ...(st.error ? { error: st.error.code !== null ? `${st.error.message} (${st.error.code})` : st.error.message } : {}),
    })),
  testConnection: testWhatsappConnection,
  // The customer-service window; outside it only approved templates may be sent.
  replyWindowHours: { dm: 24 },
  // Cloud API default throughput per number (coexistence numbers get 20 ⚠).
  sendsPerSecond: 80,
}
