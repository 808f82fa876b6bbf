import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { DispositionBody, ItemDetail, ItemIdParams, ItemListQuery, ItemPage, ItemSummary, ReplyBody, ReplyView, StatusBody } from '@tanggap/shared'
import { requireUser } from '../../plugins/auth.ts'
import type { ItemsService } from './items.service.ts'

export const itemsRoutes: FastifyPluginAsyncTypebox<{ items: ItemsService }> = async (app, { items }) => {
  // On request: an anonymous or cross-site caller is refused before its body is even parsed.
  app.addHook('onRequest', requireUser)
  const tags = ['items']

  app.get('/api/items', { schema: { tags, querystring: ItemListQuery, response: { 200: ItemPage } } }, async (req) => items.list(req.ctx, req.query))

  app.get('/api/items/:id', { schema: { tags, params: ItemIdParams, response: { 200: ItemDetail } } }, async (req) => items.get(req.ctx, req.params.id))

  app.post('/api/items/:id/replies', { schema: { tags, params: ItemIdParams, body: ReplyBody, response: { 201: ReplyView } } }, async (req, reply) =>
    reply.code(201).send(await items.reply(req.ctx, req.params.id, req.body.text)),
  )

  app.post('/api/items/:id/status', { schema: { tags, params: ItemIdParams, body: StatusBody, response: { 200: ItemSummary } } }, async (req) =>
    items.setStatus(req.ctx, req.params.id, req.body),
  )

  app.post('/api/items/:id/dispositions', { schema: { tags, params: ItemIdParams, body: DispositionBody, response: { 200: ItemSummary } } }, async (req) =>
    items.dispose(req.ctx, req.params.id, req.body),
  )
}
