// The audit log: who changed what, when, with the state before and after. Written inside the
// same transaction as the change it records.
import { auditLog, type Db } from '@tanggap/db'
import { actorLabel, type Ctx } from '../../lib/context.ts'

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0]

export interface AuditEntry {
  action: string
  entity: string
  entityId: number | string
  before?: unknown
  after?: unknown
}

export function writeAudit(tx: Tx | Db, ctx: Pick<Ctx, 'actor' | 'requestId'>, at: number, e: AuditEntry): void {
  tx.insert(auditLog)
    .values({
      at,
      userId: ctx.actor.kind === 'user' ? ctx.actor.userId : null,
      actor: actorLabel(ctx.actor),
      action: e.action,
      entity: e.entity,
      entityId: String(e.entityId),
      before: e.before ?? null,
      after: e.after ?? null,
      requestId: ctx.requestId,
    })
    .run()
}

export type { Tx }
