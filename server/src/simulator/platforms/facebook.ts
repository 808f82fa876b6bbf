// facebook in the simulator: placeholder until its connector lands.
import type { DeliveryMaker, PlatformApi } from '../types.ts'

export const facebookApi: PlatformApi | undefined = undefined
export const facebookMaker: DeliveryMaker | undefined = undefined
