// The audit log: who changed what, when, with the state before and after. Written inside the
// same transaction as the change it records.
import { auditLog, rowInserter, type Db } from '@tanggap/db'

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0]

/** The part of an actor the log keeps. */
export type AuditActor = { kind: 'user'; userId: number } | { kind: 'system' } | { kind: 'citizen' }

export interface AuditEntry {
  action: string
  entity: string
  entityId: number | string
  before?: unknown
  after?: unknown
}

const inserters = new WeakMap<Db['$client'], ReturnType<typeof rowInserter<typeof auditLog>>>()

/** Writes on the database's one connection: inside the transaction of the change it records, when one is open. */
export function writeAudit(db: Db, ctx: { actor: AuditActor; requestId: string }, at: number, e: AuditEntry): void {
  let insert = inserters.get(db.$client)
  if (!insert) inserters.set(db.$client, (insert = rowInserter(db, auditLog)))
  insert({
    at,
    userId: ctx.actor.kind === 'user' ? ctx.actor.userId : null,
    actor: ctx.actor.kind === 'user' ? `user:${ctx.actor.userId}` : ctx.actor.kind,
    action: e.action,
    entity: e.entity,
    entityId: String(e.entityId),
    before: e.before ?? null,
    after: e.after ?? null,
    requestId: ctx.requestId,
  })
}

export type { Tx }
