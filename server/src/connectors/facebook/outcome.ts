// What reading a Meta delivery produced: the events, and the items of a known kind it could not read.
import type { NormalizedEvent, Normalizer } from '../types.ts'

export interface Outcome {
  events: NormalizedEvent[]
  /** Items of a known kind that could not be read (reported when nothing else could be). */
  problems: string[]
}

/** The events; a plain Error only when the body held something to read and none of it could be. */
export function finish(out: Outcome): NormalizedEvent[] {
  if (!out.events.length && out.problems.length) {
    throw new Error(`unreadable Meta delivery: ${out.problems[0]}${out.problems.length > 1 ? ` (and ${out.problems.length - 1} more)` : ''}`)
  }
  return out.events
}

/** Whatever a bug lets slip through (a TypeError, a RangeError) leaves as a plain Error with a reason. */
export const guarded =
  (label: string, normalize: Normalizer): Normalizer =>
  (delivery, ctx) => {
    try {
      return normalize(delivery, ctx)
    } catch (err) {
      if (err instanceof Error && err.constructor === Error) throw err
      throw new Error(`${label} delivery could not be read: ${err instanceof Error ? err.message : String(err)}`.slice(0, 500))
    }
  }
