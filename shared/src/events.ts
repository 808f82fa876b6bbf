// Frames the server pushes over /ws. Every event names the OPD it concerns, so the hub delivers
// it only to users allowed to see that OPD.
import type { ItemSummary } from './api.ts'

export type ServerEvent =
  | { type: 'item.created'; item: ItemSummary }
  /** previousOpdId is set when a disposition moved the item away from that OPD. */
  | { type: 'item.updated'; item: ItemSummary; previousOpdId?: number }
  /** The warning point of an awaiting period passed (at = the warning moment). */
  | { type: 'sla.warning'; item: ItemSummary; at: number }
  /** An awaiting period passed its due time unanswered (at = the due moment; opdId = the OPD holding it then). */
  | { type: 'sla.breach'; item: ItemSummary; at: number; opdId: number }

export type ServerFrame =
  | { type: 'hello'; userId: number }
  | { type: 'item.created'; item: ItemSummary }
  | { type: 'item.updated'; item: ItemSummary }
  | { type: 'sla.warning'; item: ItemSummary; at: number }
  | { type: 'sla.breach'; item: ItemSummary; at: number; opdId: number }
  /** The item left this user's OPDs (a disposition): drop it from the list. */
  | { type: 'item.removed'; itemId: number }
