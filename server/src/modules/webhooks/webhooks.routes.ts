// Webhook receivers of every connector, in one scope where bodies stay raw bytes: each receiver
// verifies the platform's signature over exactly those bytes before it parses anything, stores the
// delivery and answers at once. Everything else happens in the queued job.
import type { FastifyPluginAsync } from 'fastify'
import { RECEIVERS } from '../../connectors/index.ts'
import type { ReceiverDeps } from '../../connectors/types.ts'
import type { ChannelsRepo } from '../channels/channels.repo.ts'
import type { DeliveriesService } from '../deliveries/deliveries.service.ts'

interface Opts {
  channels: ChannelsRepo
  deliveries: Pick<DeliveriesService, 'store'>
  clock: () => number
  bodyLimit: number
}

export const webhooksRoutes: FastifyPluginAsync<Opts> = async (app, { channels, deliveries, clock, bodyLimit }) => {
  app.removeAllContentTypeParsers()
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit }, (_req, body, done) => done(null, body))
  // Platforms retry until they get a 2xx: a signature failure is logged, never retried into a storm.
  const deps: ReceiverDeps = {
    channelsOf: (platforms) => channels.openActive(platforms),
    channelByAccount: (platform, accountId) => channels.openByAccount(platform, accountId),
    async accept({ platform, channelId, dedupeKey, rawBody }) {
      await deliveries.store({ platform, channelId, dedupeKey, rawBody, receivedAt: clock() })
    },
    clock,
  }
  for (const receiver of RECEIVERS) await app.register(receiver, deps)
}
