// Choosing an item's SLA policy and computing its moments. Pure.
import { addWorking, type Calendar, type ItemKind, type Platform, type Priority, type SlaConditions } from '@tanggap/shared'

export interface Policy {
  id: number
  name: string
  position: number
  conditions: SlaConditions
  calendarId: number
  firstResponseSeconds: number
  nextResponseSeconds: number
  resolutionSeconds: number | null
  warnRatio: number
  pauseWhileWaiting: boolean
  active: boolean
}

export interface PolicySubject {
  platform: Platform
  kind: ItemKind
  opdId: number
  priority: Priority
}

const matches = <T>(list: T[] | undefined, value: T) => !list || list.length === 0 || list.includes(value)

/** The first active policy (by position) whose conditions all match; a policy without conditions matches everything. */
export function choosePolicy(policies: Policy[], s: PolicySubject): Policy | undefined {
  return [...policies]
    .sort((a, b) => a.position - b.position)
    .find(
      (p) =>
        p.active &&
        matches(p.conditions.platforms, s.platform) &&
        matches(p.conditions.kinds, s.kind) &&
        matches(p.conditions.opdIds, s.opdId) &&
        matches(p.conditions.priorities, s.priority),
    )
}

/** Due and warning moments of an awaiting period that started at `start` with this target. */
export function periodMoments(cal: Calendar, start: number, targetSeconds: number, warnRatio: number): { dueAt: number; warnAt: number } {
  return {
    dueAt: addWorking(cal, start, targetSeconds),
    warnAt: addWorking(cal, start, Math.round(targetSeconds * warnRatio)),
  }
}
