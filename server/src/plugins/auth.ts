// Sessions from the cookie, the request context, and the guards routes opt into:
// requireUser (401 without a session, 403 without the CSRF token on state changes) and requireRole.
// Routes run the guards as onRequest hooks: a caller who may not use a route learns nothing of its
// input rules (401/403 come before any body is parsed or validated).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Role } from '@tanggap/shared'
import type { Actor, Ctx, UserActor } from '../lib/context.ts'
import { safeEqual } from '../lib/crypto.ts'
import { AppError } from '../lib/errors.ts'
import type { AuthService } from '../modules/auth/auth.service.ts'

export const SESSION_COOKIE = 'tanggap_sid'
export const CSRF_HEADER = 'x-csrf-token'
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

declare module 'fastify' {
  interface FastifyRequest {
    ctx: Ctx
  }
}

export function registerAuth(app: FastifyInstance, auth: AuthService): void {
  app.decorateRequest('ctx', null as unknown as Ctx)
  app.addHook('onRequest', async (req) => {
    const token = req.cookies[SESSION_COOKIE]
    const user = token ? auth.actorForToken(token) : undefined
    const actor: Actor = user ?? { kind: 'citizen', ip: req.ip }
    req.ctx = { actor, requestId: req.id, log: req.log }
  })
}

export function userActor(req: FastifyRequest): UserActor {
  const { actor } = req.ctx
  if (actor.kind !== 'user') throw new AppError('UNAUTHENTICATED', 'Sign in first')
  return actor
}

/** onRequest: a signed-in user, and for state changes the session's CSRF token in the header. */
export async function requireUser(req: FastifyRequest, _reply: FastifyReply): Promise<void> {
  const actor = userActor(req)
  if (SAFE_METHODS.has(req.method)) return
  const sent = req.headers[CSRF_HEADER]
  if (typeof sent !== 'string' || !safeEqual(sent, actor.csrfToken)) throw new AppError('CSRF', 'Missing or wrong CSRF token')
}

export const requireRole =
  (...roles: Role[]) =>
  async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
    await requireUser(req, reply)
    if (!roles.includes(userActor(req).role)) throw new AppError('FORBIDDEN', 'Not allowed for your role')
  }
