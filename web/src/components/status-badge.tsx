import type { ItemStatus, PublicStatus, ReplyState } from '@tanggap/shared'
import { useI18n } from '../i18n.ts'
import { UntrustedText } from './untrusted-text.tsx'

/** Status of an item in the inbox: Terbuka / Dijawab / Selesai. */
export function ItemStatusBadge({ status }: { status: ItemStatus }) {
  const { t } = useI18n()
  return <span className={`badge badge-${status}`}>{t(`status.${status}`)}</span>
}

/** Status of a question on the citizen's page: Diterima / Diproses / Dijawab / Selesai. */
export function PublicStatusBadge({ status }: { status: PublicStatus['status'] }) {
  const { t } = useI18n()
  return (
    <span className={`badge badge-${status}`} data-testid="status-badge">
      {t(`track.status.${status}`)}
    </span>
  )
}

/** Delivery state of one of our replies: Terkirim / Menunggu / Gagal; a failure shows the platform's error prominently. */
export function ReplyStateBadge({ state, error }: { state: ReplyState; error: string | null }) {
  const { t } = useI18n()
  return (
    <span className={`reply-state reply-state-${state}`} data-testid="reply-state" data-state={state}>
      <span className={`badge badge-reply-${state}`}>{t(`reply.state.${state}`)}</span>
      {state === 'failed' ? (
        <span className="reply-error" data-testid="reply-error">
          <strong>{t('reply.failedTitle')}:</strong> {error?.trim() ? <UntrustedText text={error.trim()} /> : t('reply.failedNoDetail')}
        </span>
      ) : null}
    </span>
  )
}
