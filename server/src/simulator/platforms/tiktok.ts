// tiktok in the simulator: placeholder until its connector lands.
import type { DeliveryMaker, PlatformApi } from '../types.ts'

export const tiktokApi: PlatformApi | undefined = undefined
export const tiktokMaker: DeliveryMaker | undefined = undefined
