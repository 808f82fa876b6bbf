// whatsapp: placeholder until its connector lands (deliveries are kept and marked failed with this reason).
import type { Connector } from '../types.ts'

export const whatsappConnector: Connector = {
  platforms: ['whatsapp'],
  normalize: () => {
    throw new Error('the whatsapp connector is not built yet')
  },
}
