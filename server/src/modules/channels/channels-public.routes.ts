// GET /api/channels: the channels a signed-in user may pick in a filter (the board's channel
// select), with no account id and no secrets. Supervisors and superadmins get every channel; an
// OPD admin the channels their OPDs own plus those that carried items their OPDs now hold (the
// website form belongs to the triage unit, but its questions reach every OPD).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { asc, eq, inArray, or } from 'drizzle-orm'
import { channels, items, opds, type Db } from '@tanggap/db'
import { ChannelOptionList, type ChannelOption } from '@tanggap/shared'
import { visibleOpds } from '../../lib/context.ts'
import { requireUser, userActor } from '../../plugins/auth.ts'

/** SQL of the route (kept beside it: one read, no other user). */
export function channelOptionsRepo(db: Db) {
  return {
    /** opdIds null: every channel. */
    visibleTo(opdIds: number[] | null): ChannelOption[] {
      if (opdIds !== null && opdIds.length === 0) return []
      const base = db
        .select({
          id: channels.id,
          name: channels.name,
          platform: channels.platform,
          opdId: opds.id,
          opdCode: opds.code,
          opdName: opds.name,
          opdShortName: opds.shortName,
        })
        .from(channels)
        .innerJoin(opds, eq(opds.id, channels.opdId))
      const carried = db
        .selectDistinct({ id: items.channelId })
        .from(items)
        .where(inArray(items.opdId, opdIds ?? []))
      const rows = (opdIds === null ? base : base.where(or(inArray(channels.opdId, opdIds), inArray(channels.id, carried))))
        .orderBy(asc(channels.platform), asc(channels.name), asc(channels.id))
        .all()
      return rows.map(({ opdId, opdCode, opdName, opdShortName, ...c }) => ({
        ...c,
        opd: { id: opdId, code: opdCode, name: opdName, shortName: opdShortName },
      }))
    },
  }
}

export const channelsPublicRoutes: FastifyPluginAsyncTypebox<{ db: Db }> = async (app, { db }) => {
  const repo = channelOptionsRepo(db)
  app.get('/api/channels', { schema: { tags: ['channels'], response: { 200: ChannelOptionList } }, onRequest: requireUser }, async (req) =>
    repo.visibleTo(visibleOpds(userActor(req))),
  )
}
