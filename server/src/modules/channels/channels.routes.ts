// Channel settings (superadmin only): /api/admin/channels and the deliveries flagged for unknown
// accounts. The role is checked on request, before the body is even parsed.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import {
  AdminChannel,
  AdminChannelList,
  ChannelIdParams,
  ChannelTestResult,
  CreateChannelBody,
  FlaggedDeliveriesQuery,
  FlaggedDeliveryList,
  UpdateChannelBody,
  type CreateChannelBody as CreateChannelInput,
  type UpdateChannelBody as UpdateChannelInput,
} from '@tanggap/shared'
import { requireRole } from '../../plugins/auth.ts'
import type { ChannelsService } from './channels.service.ts'

export const channelsRoutes: FastifyPluginAsyncTypebox<{ channels: ChannelsService }> = async (app, { channels }) => {
  app.addHook('onRequest', requireRole('superadmin'))
  const tags = ['admin']

  app.get('/api/admin/channels', { schema: { tags, response: { 200: AdminChannelList } } }, async () => channels.list())

  app.get('/api/admin/channels/:id', { schema: { tags, params: ChannelIdParams, response: { 200: AdminChannel } } }, async (req) => channels.get(req.params.id))

  app.post('/api/admin/channels', { schema: { tags, body: CreateChannelBody, response: { 201: AdminChannel } } }, async (req, reply) =>
    reply.code(201).send(channels.create(req.ctx, req.body as CreateChannelInput)),
  )

  app.patch('/api/admin/channels/:id', { schema: { tags, params: ChannelIdParams, body: UpdateChannelBody, response: { 200: AdminChannel } } }, async (req) =>
    channels.update(req.ctx, req.params.id, req.body as UpdateChannelInput),
  )

  app.post('/api/admin/channels/:id/test', { schema: { tags, params: ChannelIdParams, response: { 200: ChannelTestResult } } }, async (req) =>
    channels.test(req.ctx, req.params.id),
  )

  app.get('/api/admin/deliveries/flagged', { schema: { tags, querystring: FlaggedDeliveriesQuery, response: { 200: FlaggedDeliveryList } } }, async (req) =>
    channels.flagged(req.query.limit),
  )
}
