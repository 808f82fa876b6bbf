// x webhook receiver: placeholder until its connector lands.
import type { Receiver } from '../types.ts'

export const xReceiver: Receiver = async () => {}
