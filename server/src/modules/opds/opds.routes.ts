import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type from 'typebox'
import { OpdRef } from '@tanggap/shared'
import { requireUser } from '../../plugins/auth.ts'
import type { OpdsRepo } from './opds.repo.ts'

export const opdsRoutes: FastifyPluginAsyncTypebox<{ opds: OpdsRepo }> = async (app, { opds }) => {
  app.get('/api/opds', { schema: { tags: ['opds'], response: { 200: Type.Array(OpdRef, { maxItems: 500 }) } }, onRequest: requireUser }, async () =>
    opds.list(),
  )
}
