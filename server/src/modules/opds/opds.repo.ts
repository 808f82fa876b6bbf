// SQL for OPDs. The list changes only with a reorganisation, so it is read once and cached.
import { asc, eq } from 'drizzle-orm'
import { opds, type Db } from '@tanggap/db'
import type { OpdRef } from '@tanggap/shared'

export function opdsRepo(db: Db) {
  let cache: (OpdRef & { isTriage: boolean })[] | null = null
  const all = () =>
    (cache ??= db
      .select({ id: opds.id, code: opds.code, name: opds.name, shortName: opds.shortName, isTriage: opds.isTriage })
      .from(opds)
      .orderBy(asc(opds.id))
      .all())
  const ref = ({ id, code, name, shortName }: OpdRef): OpdRef => ({ id, code, name, shortName })

  return {
    list: (): OpdRef[] => all().map(ref),
    byId: (id: number): OpdRef | undefined => all().find((o) => o.id === id),
    idByCode: (code: string): number | undefined => all().find((o) => o.code === code)?.id,
    /** The supervising unit's triage queue. */
    triageId(): number {
      const triage = all().find((o) => o.isTriage) ?? all()[0]
      if (!triage) throw new Error('no OPDs in the database')
      return triage.id
    },
    refresh: () => void (cache = null),
    exists: (id: number): boolean => db.select({ id: opds.id }).from(opds).where(eq(opds.id, id)).get() !== undefined,
  }
}

export type OpdsRepo = ReturnType<typeof opdsRepo>
