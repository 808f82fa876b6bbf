// facebook: placeholder until its connector lands (deliveries are kept and marked failed with this reason).
import type { Connector } from '../types.ts'

export const facebookConnector: Connector = {
  platforms: ['facebook'],
  normalize: () => {
    throw new Error('the facebook connector is not built yet')
  },
}
