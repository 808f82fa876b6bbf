// whatsapp in the simulator: placeholder until its connector lands.
import type { DeliveryMaker, PlatformApi } from '../types.ts'

export const whatsappApi: PlatformApi | undefined = undefined
export const whatsappMaker: DeliveryMaker | undefined = undefined
