// youtube in the simulator: placeholder until its connector lands.
import type { DeliveryMaker, PlatformApi } from '../types.ts'

export const youtubeApi: PlatformApi | undefined = undefined
export const youtubeMaker: DeliveryMaker | undefined = undefined
