// x in the simulator: placeholder until its connector lands.
import type { DeliveryMaker, PlatformApi } from '../types.ts'

export const xApi: PlatformApi | undefined = undefined
export const xMaker: DeliveryMaker | undefined = undefined
