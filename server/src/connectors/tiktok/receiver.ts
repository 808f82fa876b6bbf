// tiktok webhook receiver: placeholder until its connector lands.
import type { Receiver } from '../types.ts'

export const tiktokReceiver: Receiver = async () => {}
