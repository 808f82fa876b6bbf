// x: placeholder until its connector lands (deliveries are kept and marked failed with this reason).
import type { Connector } from '../types.ts'

export const xConnector: Connector = {
  platforms: ['x'],
  normalize: () => {
    throw new Error('the x connector is not built yet')
  },
}
