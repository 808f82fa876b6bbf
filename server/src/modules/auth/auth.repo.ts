// SQL for users, memberships and sessions.
import { eq, lt } from 'drizzle-orm'
import { opds, sessions, userOpds, users, type Db } from '@tanggap/db'
import type { OpdRef, Role } from '@tanggap/shared'

export type UserRow = typeof users.$inferSelect

export function authRepo(db: Db) {
  // Read on every signed-in request: prepared once.
  const sessionUser = db.$client.prepare<[string, number], { userId: number; role: Role; displayName: string; csrfToken: string }>(
    `SELECT u.id AS userId, u.role, u.display_name AS displayName, s.csrf_token AS csrfToken
       FROM sessions s JOIN users u ON u.id = s.user_id
      WHERE s.id_hash = ? AND s.expires_at > ? AND u.active = 1`,
  )
  const memberships = db.$client.prepare<[number], { opdId: number }>('SELECT opd_id AS opdId FROM user_opds WHERE user_id = ?')
  // The websocket hub asks this for every connected session once a minute.
  const liveSession = db.$client.prepare<[string, number], { one: number }>('SELECT 1 AS one FROM sessions WHERE id_hash = ? AND expires_at > ?')

  return {
    userByUsername: (username: string): UserRow | undefined => db.select().from(users).where(eq(users.username, username)).get(),
    userById: (id: number): UserRow | undefined => db.select().from(users).where(eq(users.id, id)).get(),

    opdsOf: (userId: number): OpdRef[] =>
      db
        .select({ id: opds.id, code: opds.code, name: opds.name, shortName: opds.shortName })
        .from(userOpds)
        .innerJoin(opds, eq(opds.id, userOpds.opdId))
        .where(eq(userOpds.userId, userId))
        .all(),

    sessionActor(idHash: string, now: number) {
      const row = sessionUser.get(idHash, now)
      return row && { ...row, opdIds: memberships.all(row.userId).map((m) => m.opdId) }
    },

    createSession: (s: typeof sessions.$inferInsert) => db.insert(sessions).values(s).run(),
    deleteSession: (idHash: string) => db.delete(sessions).where(eq(sessions.idHash, idHash)).run(),
    deleteExpired: (now: number) => db.delete(sessions).where(lt(sessions.expiresAt, now)).run(),
    hasSession: (idHash: string, now: number): boolean => liveSession.get(idHash, now) !== undefined,

    createUser(u: { username: string; displayName: string; role: Role; passwordHash: string; opdIds: number[] }): number {
      return db.transaction((tx) => {
        const { id } = tx
          .insert(users)
          .values({ username: u.username, displayName: u.displayName, role: u.role, passwordHash: u.passwordHash })
          .returning({ id: users.id })
          .get()
        for (const opdId of u.opdIds) tx.insert(userOpds).values({ userId: id, opdId }).run()
        return id
      })
    },
  }
}

export type AuthRepo = ReturnType<typeof authRepo>
