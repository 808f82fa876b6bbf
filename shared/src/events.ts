// Frames the server pushes over /ws. Every event names the OPD it concerns, so the hub delivers
// it only to users allowed to see that OPD.
import type { ItemSummary } from './api.ts'

export type ServerEvent =
  | { type: 'item.created'; item: ItemSummary }
  /** previousOpdId is set when a disposition moved the item away from that OPD. */
  | { type: 'item.updated'; item: ItemSummary; previousOpdId?: number }

export type ServerFrame =
  | { type: 'hello'; userId: number }
  | { type: 'item.created'; item: ItemSummary }
  | { type: 'item.updated'; item: ItemSummary }
  /** The item left this user's OPDs (a disposition): drop it from the list. */
  | { type: 'item.removed'; itemId: number }
