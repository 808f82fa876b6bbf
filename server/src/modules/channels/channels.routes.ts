// Channel settings (superadmin only): /api/admin/channels, the deliveries flagged for unknown
// accounts, and the deliveries whose processing failed (with "process again"). The role is checked
// on request, before the body is even parsed.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import {
  AdminChannel,
  AdminChannelList,
  ChannelIdParams,
  ChannelTestResult,
  CreateChannelBody,
  DeliveryIdParams,
  FailedDeliveriesQuery,
  FailedDeliveryList,
  FlaggedDeliveriesQuery,
  FlaggedDeliveryList,
  RetriedDelivery,
  UpdateChannelBody,
  type CreateChannelBody as CreateChannelInput,
  type UpdateChannelBody as UpdateChannelInput,
} from '@tanggap/shared'
import { requireRole } from '../../plugins/auth.ts'
import type { DeliveriesService } from '../deliveries/deliveries.service.ts'
import type { ChannelsService } from './channels.service.ts'

interface Opts {
  channels: ChannelsService
  deliveries: Pick<DeliveriesService, 'retryFailed'>
}

export const channelsRoutes: FastifyPluginAsyncTypebox<Opts> = async (app, { channels, deliveries }) => {
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

  app.get('/api/admin/deliveries/failed', { schema: { tags, querystring: FailedDeliveriesQuery, response: { 200: FailedDeliveryList } } }, async (req) =>
    channels.failed(req.query.limit, req.query.before),
  )

  // Accepted, not done: the delivery is queued and processed as if it had just arrived.
  app.post('/api/admin/deliveries/:id/retry', { schema: { tags, params: DeliveryIdParams, response: { 202: RetriedDelivery } } }, async (req, reply) => {
    await deliveries.retryFailed(req.ctx, req.params.id)
    return reply.code(202).send({ id: req.params.id, state: 'pending' as const })
  })
}
