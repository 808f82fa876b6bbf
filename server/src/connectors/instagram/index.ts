// instagram: placeholder until its connector lands (deliveries are kept and marked failed with this reason).
import type { Connector } from '../types.ts'

export const instagramConnector: Connector = {
  platforms: ['instagram'],
  normalize: () => {
    throw new Error('the instagram connector is not built yet')
  },
}
