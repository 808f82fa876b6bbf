// instagram in the simulator: placeholder until its connector lands.
import type { DeliveryMaker, PlatformApi } from '../types.ts'

export const instagramApi: PlatformApi | undefined = undefined
export const instagramMaker: DeliveryMaker | undefined = undefined
