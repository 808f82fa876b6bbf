// Who is acting, carried into every service call.
import type { FastifyBaseLogger } from 'fastify'
import type { Role } from '@tanggap/shared'

export type Actor =
  | { kind: 'user'; userId: number; role: Role; displayName: string; opdIds: number[]; sessionHash: string; csrfToken: string }
  | { kind: 'system' }
  | { kind: 'citizen'; ip: string }

export type UserActor = Extract<Actor, { kind: 'user' }>

export interface Ctx {
  actor: Actor
  requestId: string
  log: FastifyBaseLogger
}

/** Supervisors and superadmins see every OPD; an OPD admin only their own. */
export const canSeeOpd = (actor: UserActor, opdId: number): boolean =>
  actor.role !== 'opd_admin' || actor.opdIds.includes(opdId)

/** The OPD filter a list query must apply: null means all. */
export const visibleOpds = (actor: UserActor): number[] | null => (actor.role === 'opd_admin' ? actor.opdIds : null)
