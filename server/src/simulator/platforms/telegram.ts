// telegram in the simulator: placeholder until its connector lands.
import type { DeliveryMaker, PlatformApi } from '../types.ts'

export const telegramApi: PlatformApi | undefined = undefined
export const telegramMaker: DeliveryMaker | undefined = undefined
