// Whether an error means Redis (the job queue, pub/sub) was away while a request needed it. Such a
// request may well succeed shortly, so it is answered 503 with Retry-After rather than 500.
// ioredis reports these with one error class and a few fixed messages.
const AWAY_MESSAGES = new Set(['Connection is closed.', "Stream isn't writeable and enableOfflineQueue options is false", 'Command timed out'])
const AWAY_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH'])

export function isBackendAway(err: unknown): boolean {
  if (!(err instanceof Error)) return false
  return err.name === 'MaxRetriesPerRequestError' || AWAY_MESSAGES.has(err.message) || AWAY_CODES.has((err as NodeJS.ErrnoException).code ?? '')
}
