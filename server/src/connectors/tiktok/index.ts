// tiktok: placeholder until its connector lands (deliveries are kept and marked failed with this reason).
import type { Connector } from '../types.ts'

export const tiktokConnector: Connector = {
  platforms: ['tiktok'],
  normalize: () => {
    throw new Error('the tiktok connector is not built yet')
  },
}
