// telegram: placeholder until its connector lands (deliveries are kept and marked failed with this reason).
import type { Connector } from '../types.ts'

export const telegramConnector: Connector = {
  platforms: ['telegram'],
  normalize: () => {
    throw new Error('the telegram connector is not built yet')
  },
}
