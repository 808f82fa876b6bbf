// Sign-in and sessions. The cookie holds a random token; the database keeps only its hash.
import type { Session } from '@tanggap/shared'
import type { Ctx } from '../../lib/context.ts'
import { randomToken, sha256 } from '../../lib/crypto.ts'
import { AppError, RetryLater } from '../../lib/errors.ts'
import { writeAudit } from '../audit/audit.repo.ts'
import type { Db } from '@tanggap/db'
import type { AuthRepo } from './auth.repo.ts'
import type { LoginThrottle } from './login-throttle.ts'
import { dummyHash, verifyPassword } from './password.ts'

interface Deps {
  db: Db
  repo: AuthRepo
  clock: () => number
  sessionTtlMs: number
  throttle: LoginThrottle
}

export function authService(d: Deps) {
  function sessionView(userId: number, csrfToken: string): Session {
    const u = d.repo.userById(userId)!
    return { user: { id: u.id, username: u.username, displayName: u.displayName, role: u.role }, opds: d.repo.opdsOf(u.id), csrfToken }
  }

  return {
    /** Returns the cookie token and the session; one error for every wrong part, so it reveals nothing. */
    async login(ctx: Ctx, username: string, password: string): Promise<{ token: string; session: Session; expiresAt: number }> {
      const account = username.trim().toLowerCase()
      const lockedMs = await d.throttle.lockedFor(account)
      // Locked: not even the right password signs in until the lock ends.
      if (lockedMs > 0)
        throw new RetryLater(
          'RATE_LIMITED',
          `Too many wrong passwords for this account; try again in ${Math.ceil(lockedMs / 60_000)} min`,
          Math.ceil(lockedMs / 1000),
        )
      const user = d.repo.userByUsername(account)
      const ok = await verifyPassword(user?.passwordHash ?? (await dummyHash()), password)
      if (!user?.active || !ok) {
        const lockMs = await d.throttle.failed(account)
        // Keyed by the name tried, known or not: a spray over made-up names shows up too.
        if (lockMs > 0) {
          ctx.log.warn({ lockMs }, 'account locked after repeated wrong passwords')
          writeAudit(d.db, ctx, d.clock(), {
            action: 'auth.locked',
            entity: 'account',
            entityId: account,
            after: { userId: user?.id ?? null, lockedUntil: d.clock() + lockMs },
          })
        }
        throw new AppError('INVALID_CREDENTIALS', 'Wrong username or password')
      }
      await d.throttle.succeeded(account)
      const token = randomToken()
      const csrfToken = randomToken()
      const now = d.clock()
      const expiresAt = now + d.sessionTtlMs
      d.repo.deleteExpired(now)
      d.repo.createSession({ idHash: sha256(token), userId: user.id, csrfToken, createdAt: now, expiresAt })
      writeAudit(d.db, { actor: { kind: 'user', userId: user.id }, requestId: ctx.requestId }, now, { action: 'auth.login', entity: 'user', entityId: user.id })
      return { token, session: sessionView(user.id, csrfToken), expiresAt }
    },

    logout(ctx: Ctx): void {
      if (ctx.actor.kind !== 'user') return
      d.repo.deleteSession(ctx.actor.sessionHash)
      writeAudit(d.db, ctx, d.clock(), { action: 'auth.logout', entity: 'user', entityId: ctx.actor.userId })
    },

    session(ctx: Ctx): Session {
      if (ctx.actor.kind !== 'user') throw new AppError('UNAUTHENTICATED', 'Sign in first')
      return sessionView(ctx.actor.userId, ctx.actor.csrfToken)
    },

    actorForToken(token: string) {
      const idHash = sha256(token)
      const row = d.repo.sessionActor(idHash, d.clock())
      return row && { kind: 'user' as const, ...row, sessionHash: idHash }
    },
  }
}

export type AuthService = ReturnType<typeof authService>
