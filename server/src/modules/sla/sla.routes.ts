import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import { Board, BoardQuery, CalendarBody, CalendarView, Id, PolicyBody, PolicyView } from '@tanggap/shared'
import { requireRole, requireUser } from '../../plugins/auth.ts'
import type { SlaService } from './sla.service.ts'

const IdParams = Type.Object({ id: Id })

export const slaRoutes: FastifyPluginAsyncTypebox<{ sla: SlaService }> = async (app, { sla }) => {
  const tags = ['sla']
  const superadmin = requireRole('superadmin')

  // Every signed-in user needs the calendars: the inbox counts down in working time.
  app.get('/api/sla/calendars', { schema: { tags, response: { 200: Type.Array(CalendarView, { maxItems: 100 }) } }, onRequest: requireUser }, async () =>
    sla.calendars(),
  )
  app.post('/api/sla/calendars', { schema: { tags, body: CalendarBody, response: { 201: CalendarView } }, onRequest: superadmin }, async (req, reply) =>
    reply.code(201).send(sla.createCalendar(req.ctx, req.body)),
  )
  app.put(
    '/api/sla/calendars/:id',
    { schema: { tags, params: IdParams, body: CalendarBody, response: { 200: CalendarView } }, onRequest: superadmin },
    async (req) => sla.updateCalendar(req.ctx, req.params.id, req.body),
  )

  app.get(
    '/api/sla/policies',
    { schema: { tags, response: { 200: Type.Array(PolicyView, { maxItems: 500 }) } }, onRequest: requireRole('superadmin', 'supervisor') },
    async () => sla.policies(),
  )
  app.post('/api/sla/policies', { schema: { tags, body: PolicyBody, response: { 201: PolicyView } }, onRequest: superadmin }, async (req, reply) =>
    reply.code(201).send(sla.createPolicy(req.ctx, req.body)),
  )
  app.put(
    '/api/sla/policies/:id',
    { schema: { tags, params: IdParams, body: PolicyBody, response: { 200: PolicyView } }, onRequest: superadmin },
    async (req) => sla.updatePolicy(req.ctx, req.params.id, req.body),
  )

  // OPD admins see the tiles of their own OPDs; supervisors every OPD.
  app.get('/api/board', { schema: { tags, querystring: BoardQuery, response: { 200: Board } }, onRequest: requireUser }, async (req) =>
    sla.board(req.ctx, req.query),
  )
}
