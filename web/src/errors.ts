// Turns any thrown value into a sentence for the user, in the current language.
import { ApiError } from './api.ts'
import type { Translate } from './i18n.ts'

export function errorText(err: unknown, t: Translate): string {
  if (err instanceof ApiError) {
    if (err.status === 0) return t('error.network')
    if (err.status === 429) return t('error.rateLimited')
    if (err.code === 'CSRF') return t('error.csrf')
    if (err.code === 'WINDOW_CLOSED') return t('reply.windowClosed')
    if (err.status === 403) return t('error.forbidden')
    const suffix = err.requestId ? ` (${t('error.requestId', { id: err.requestId })})` : ''
    return `${t('error.generic')}${suffix}`
  }
  return t('error.generic')
}
