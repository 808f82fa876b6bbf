// youtube: placeholder until its connector lands (deliveries are kept and marked failed with this reason).
import type { Connector } from '../types.ts'

export const youtubeConnector: Connector = {
  platforms: ['youtube'],
  normalize: () => {
    throw new Error('the youtube connector is not built yet')
  },
}
