// telegram webhook receiver: placeholder until its connector lands.
import type { Receiver } from '../types.ts'

export const telegramReceiver: Receiver = async () => {}
