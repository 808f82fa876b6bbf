import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { LoginBody, Session } from '@tanggap/shared'
import type { Config } from '../../config.ts'
import { requireUser, SESSION_COOKIE } from '../../plugins/auth.ts'
import type { Hub } from '../../plugins/websocket.ts'
import type { AuthService } from './auth.service.ts'

interface Opts {
  auth: AuthService
  config: Config
  hub: Pick<Hub, 'closeSession'>
}

export const authRoutes: FastifyPluginAsyncTypebox<Opts> = async (app, { auth, config, hub }) => {
  // JSON only: a cross-site HTML form cannot send application/json, which guards login against CSRF.
  app.post(
    '/api/auth/login',
    {
      schema: { tags: ['auth'], body: LoginBody, response: { 200: Session } },
      config: { rateLimit: { max: config.rateLimit.loginsPerMinute, timeWindow: 60_000 } },
    },
    async (req, reply) => {
      const { token, session, expiresAt } = await auth.login(req.ctx, req.body.username, req.body.password)
      reply.setCookie(SESSION_COOKIE, token, {
        httpOnly: true,
        sameSite: 'lax',
        secure: config.cookieSecure,
        path: '/',
        expires: new Date(expiresAt),
      })
      return session
    },
  )

  app.post('/api/auth/logout', { schema: { tags: ['auth'] }, onRequest: requireUser }, async (req, reply) => {
    const { actor } = req.ctx
    auth.logout(req.ctx)
    if (actor.kind === 'user') hub.closeSession(actor.sessionHash)
    reply.clearCookie(SESSION_COOKIE, { path: '/' })
    return reply.code(204).send()
  })

  app.get('/api/auth/session', { schema: { tags: ['auth'], response: { 200: Session } }, onRequest: requireUser }, async (req) => auth.session(req.ctx))
}
