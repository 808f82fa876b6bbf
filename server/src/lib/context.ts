// Who is acting, carried into every service call.
import type { FastifyBaseLogger } from 'fastify'
import type { Role } from '@tanggap/shared'
import { AppError } from './errors.ts'

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

/** The signed-in user acting (the routes' guards ran first; this keeps services honest). */
export function userOf(ctx: Ctx): UserActor {
  if (ctx.actor.kind !== 'user') throw new AppError('UNAUTHENTICATED', 'Sign in first')
  return ctx.actor
}

/** Supervisors and superadmins see every OPD; an OPD admin only their own. Every read model applies this to the OPD holding an item now. */
export const canSeeOpd = (actor: UserActor, opdId: number): boolean => actor.role !== 'opd_admin' || actor.opdIds.includes(opdId)

/** The OPD filter a list query must apply: null means all. */
export const visibleOpds = (actor: UserActor): number[] | null => (actor.role === 'opd_admin' ? actor.opdIds : null)
