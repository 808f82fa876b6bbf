// Security headers on every answer (helmet), and no caching of /api answers: they carry personal data.
// The web app is built by Vite into external files only, so its policy allows no inline script or
// style; 'self' in connect-src also covers the websocket to the same host (CSP Level 3).
import helmet from '@fastify/helmet'
import type { FastifyInstance } from 'fastify'
import type { Config } from '../config.ts'

const APP_DIRECTIVES = {
  defaultSrc: ["'self'"],
  baseUri: ["'none'"],
  connectSrc: ["'self'"],
  fontSrc: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
  // data: for the empty favicon in index.html.
  imgSrc: ["'self'", 'data:'],
  objectSrc: ["'none'"],
  scriptSrc: ["'self'"],
  scriptSrcAttr: ["'none'"],
  styleSrc: ["'self'"],
}

// Swagger UI (/docs) sets inline styles and shows its logo as a data: image; still no inline script.
const DOCS_DIRECTIVES = { ...APP_DIRECTIVES, styleSrc: ["'self'", "'unsafe-inline'"] }

/** /api answers a browser or proxy may keep: public, no personal data. Every other /api answer is no-store. */
const CACHEABLE_API: Record<string, string> = {
  '/api/public/options': 'public, max-age=300',
}

const API_PATH = /^\/api(\/|\?|$)/

export async function registerSecurityHeaders(app: FastifyInstance, config: Config): Promise<void> {
  const production = config.env === 'production'
  // The docs' routes (swagger-ui, registered later) get their policy as helmet's route option; this
  // hook runs before helmet's own, which reads that option. Webhook answers go to platforms' servers,
  // never to a browser, and helmet builds its middleware anew for every request: they go without.
  app.addHook('onRoute', (route) => {
    if (route.url === '/docs' || route.url.startsWith('/docs/')) route.helmet = { contentSecurityPolicy: { useDefaults: false, directives: DOCS_DIRECTIVES } }
    else if (route.url.startsWith('/webhooks/')) route.helmet = false
  })
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      // Outside production the app may be served over plain http (development, tests).
      directives: production ? { ...APP_DIRECTIVES, upgradeInsecureRequests: [] } : APP_DIRECTIVES,
    },
    frameguard: { action: 'deny' },
    // Tracking codes are in /lacak URLs: no referrer leaves the site. Not no-referrer, because with
    // that browsers send "Origin: null" on same-origin POSTs.
    referrerPolicy: { policy: 'same-origin' },
    // HTTPS is a production matter; HSTS on a development host would pin it to https.
    strictTransportSecurity: production ? { maxAge: 31_536_000, includeSubDomains: true } : false,
  })
  app.addHook('onRequest', async (req, reply) => {
    if (API_PATH.test(req.url)) reply.header('cache-control', CACHEABLE_API[req.routeOptions.url ?? ''] ?? 'no-store')
  })
}
