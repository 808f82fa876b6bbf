// Frames the server pushes over /ws. Every frame names the OPD it concerns, so the hub can
// deliver it only to users allowed to see that OPD.
import type { ItemSummary } from './api.ts'

export type ServerEvent =
  | { type: 'item.created'; item: ItemSummary }
  | { type: 'item.updated'; item: ItemSummary }

export type ServerFrame = ServerEvent | { type: 'hello'; userId: number }

export const opdOfEvent = (e: ServerEvent): number => e.item.opd.id
