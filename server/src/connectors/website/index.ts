// The website form: questions arrive through POST /api/public/questions (no webhook), and answers
// are published on the citizen's status page, which reads them from our own database.
import type { Connector } from '../types.ts'
import { normalizeWebsite } from './normalize.ts'

export const websiteConnector: Connector = {
  platforms: ['website'],
  normalize: normalizeWebsite,
  send: async (req) => ({ externalId: `answer:${req.replyId}` }),
}
