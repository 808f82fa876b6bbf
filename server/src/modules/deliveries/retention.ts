// Raw webhook bodies are kept for a while after processing (to look into a delivery), then emptied:
// the delivery row, its messages and items stay. Only bodies whose processing is final are pruned;
// pending, failed and flagged ones may still be processed and keep theirs. Pruning runs in small
// batches with a pause after each, so arriving deliveries (intake.ts) never wait long for the lock.
//
// SQLite reuses the pages freed here for new rows, so the file stops growing once pruning keeps up,
// though it does not shrink. Giving space back to the file system needs VACUUM (a rewrite of the
// whole file holding the write lock throughout: deliveries would be refused meanwhile) or
// auto_vacuum, which must be chosen before the first table exists and then moves pages on every
// incremental step. Neither is worth it for space that is written again within one retention
// period; an operator who wants it back runs VACUUM in a maintenance window.
import { setTimeout as sleep } from 'node:timers/promises'
import type { DeliveriesRepo } from './deliveries.repo.ts'

const DAY_MS = 86_400_000
/** Rows per write: a few milliseconds of the write lock. */
const BATCH = 200
/** Batches per run (one run a minute): a large backlog is worked off over several runs. */
const MAX_BATCHES = 25
/** The write lock stays free this long between batches. */
const PAUSE_MS = 20

export interface RetentionDeps {
  deliveries: Pick<DeliveriesRepo, 'pruneBodies'>
  clock: () => number
  /** Days a processed body is kept; 0 keeps every body. */
  retentionDays: number
}

export function bodyRetention(d: RetentionDeps) {
  return {
    /** Empties the bodies processed longer than the retention period ago, up to a bound per run; returns how many. */
    async prune(): Promise<number> {
      if (d.retentionDays === 0) return 0
      let total = 0
      for (let i = 0; i < MAX_BATCHES; i++) {
        const now = d.clock()
        const pruned = d.deliveries.pruneBodies(now - d.retentionDays * DAY_MS, now, BATCH)
        total += pruned
        if (pruned < BATCH) break
        await sleep(PAUSE_MS)
      }
      return total
    },
  }
}

export type BodyRetention = ReturnType<typeof bodyRetention>
