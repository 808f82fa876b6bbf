import { useState, type ReactNode } from 'react'
import type { ItemDetail as Detail, ItemSummary, ReplyView, StatusBody } from '@tanggap/shared'
import { setItemStatus } from '../api.ts'
import { useCalendars } from '../calendars.ts'
import { errorText } from '../errors.ts'
import { useI18n } from '../i18n.ts'
import { Link } from '../router.tsx'
import { formatDateTime, formatDuration } from '../time.ts'
import { slaState } from '../sla.ts'
import type { ItemDetailState } from '../use-item-detail.ts'
import { useNow } from '../use-now.ts'
import { DispositionForm } from './disposition-form.tsx'
import { ErrorAlert } from './error-alert.tsx'
import { SlaCountdown } from './sla-countdown.tsx'
import { ReplyBox } from './reply-box.tsx'
import { ItemStatusBadge } from './status-badge.tsx'
import { Thread } from './thread.tsx'
import { UntrustedText } from './untrusted-text.tsx'

interface Props {
  state: ItemDetailState
  onRetry(): void
  onItemChanged(item: ItemSummary): void
  onReplySent(reply: ReplyView): void
}

/** The right-hand pane (full screen on phones): one item with its thread and the actions on it. */
export function ItemDetailPane({ state, onRetry, onItemChanged, onReplySent }: Props) {
  const { t } = useI18n()
  const back = (
    <Link to="/kotak-masuk" className="back-link">
      ← {t('detail.backToList')}
    </Link>
  )
  if (state.phase === 'idle') return <p className="detail-prompt muted">{t('inbox.selectPrompt')}</p>
  if (state.phase === 'loading')
    return (
      <div className="detail-state" role="status">
        {back}
        <p>{t('common.loading')}</p>
      </div>
    )
  if (state.phase === 'not-found' || !state.detail)
    return (
      <div className="detail-state" role="alert">
        {back}
        <p>{state.phase === 'error' ? errorText(state.error, t) : t('detail.notFound')}</p>
        {state.phase === 'error' ? (
          <button type="button" className="button" onClick={onRetry}>
            {t('common.retry')}
          </button>
        ) : null}
      </div>
    )
  return <DetailView key={state.detail.item.id} detail={state.detail} back={back} onItemChanged={onItemChanged} onReplySent={onReplySent} />
}

function DetailView({
  detail,
  back,
  onItemChanged,
  onReplySent,
}: {
  detail: Detail
  back: ReactNode
  onItemChanged(item: ItemSummary): void
  onReplySent(reply: ReplyView): void
}) {
  const { t, lang } = useI18n()
  const item = detail.item
  const [changing, setChanging] = useState(false)
  const [actionError, setActionError] = useState<string | null>(null)
  const [dispoOpen, setDispoOpen] = useState(false)
  const [closeAsOpen, setCloseAsOpen] = useState(false)
  const [movedTo, setMovedTo] = useState<string | null>(null)

  async function changeStatus(body: StatusBody) {
    setChanging(true)
    setActionError(null)
    try {
      onItemChanged(await setItemStatus(item.id, body))
      setCloseAsOpen(false)
    } catch (err) {
      setActionError(errorText(err, t))
    } finally {
      setChanging(false)
    }
  }
  const toggleStatus = () => void changeStatus({ status: item.status === 'closed' ? 'open' : 'closed' })

  return (
    <article className="detail" data-testid="item-detail" data-item-id={item.id}>
      {back}
      <header className="detail-header">
        <div className="detail-title">
          <h2>
            <UntrustedText text={item.citizenName} />
          </h2>
          <ItemStatusBadge status={item.status} />
        </div>
        <dl className="detail-meta">
          <div>
            <dt>{t('detail.channel')}</dt>
            <dd>
              {t(`platform.${item.platform}`)} · {t(`kind.${item.kind}`)} · <UntrustedText text={item.channelName} />
            </dd>
          </div>
          <div>
            <dt>{t('detail.opd')}</dt>
            <dd title={item.opd.name}>{item.opd.name}</dd>
          </div>
          {detail.citizenContact ? (
            <div>
              <dt>{t('detail.contact')}</dt>
              <dd>
                <UntrustedText text={detail.citizenContact} />
              </dd>
            </div>
          ) : null}
          {item.trackingCode ? (
            <div>
              <dt>{t('detail.trackingCode')}</dt>
              <dd className="mono">{item.trackingCode}</dd>
            </div>
          ) : null}
          <div>
            <dt>{t('detail.firstResponse')}</dt>
            <dd>
              {detail.firstResponseAt !== null
                ? `${formatDateTime(detail.firstResponseAt, lang)}${
                    item.firstResponseSeconds !== null ? ` (${formatDuration(item.firstResponseSeconds * 1000, lang)})` : ''
                  }`
                : t('detail.noResponseYet')}
            </dd>
          </div>
          <DueRows item={item} />
        </dl>
        {item.excludedReason ? (
          <p className="excluded-note" data-testid="detail-excluded" data-reason={item.excludedReason}>
            <strong>{t('detail.excluded', { reason: t(`exclusion.${item.excludedReason}`) })}</strong> <span className="small">{t('detail.excludedHint')}</span>
          </p>
        ) : null}
        <div className="detail-actions">
          <button type="button" className="button" onClick={toggleStatus} disabled={changing} data-testid="status-toggle">
            {changing ? t('detail.statusChanging') : item.status === 'closed' ? t('detail.reopen') : t('detail.close')}
          </button>
          {item.status !== 'closed' ? (
            <button
              type="button"
              className="button"
              aria-expanded={closeAsOpen}
              aria-controls={`close-as-${item.id}`}
              onClick={() => setCloseAsOpen((v) => !v)}
              data-testid="close-as-open"
            >
              {t('detail.closeAs')}
            </button>
          ) : null}
          <button type="button" className="button" aria-expanded={dispoOpen} onClick={() => setDispoOpen((v) => !v)} data-testid="disposition-open">
            {t('dispo.open')}
          </button>
        </div>
        {closeAsOpen && item.status !== 'closed' ? (
          <section className="close-as" id={`close-as-${item.id}`} aria-label={t('detail.closeAsTitle')}>
            <p className="small">{t('detail.closeAsHint')}</p>
            <div className="row-buttons">
              <button
                type="button"
                className="button"
                disabled={changing}
                onClick={() => void changeStatus({ status: 'closed', reason: 'spam' })}
                data-testid="close-spam"
              >
                {t('exclusion.spam')}
              </button>
              <button
                type="button"
                className="button"
                disabled={changing}
                onClick={() => void changeStatus({ status: 'closed', reason: 'no_response_needed' })}
                data-testid="close-no-response"
              >
                {t('exclusion.no_response_needed')}
              </button>
              <button type="button" className="link-button" onClick={() => setCloseAsOpen(false)}>
                {t('common.cancel')}
              </button>
            </div>
          </section>
        ) : null}
        <ErrorAlert message={actionError} />
        {movedTo ? (
          <p className="alert alert-ok" role="status">
            {t('dispo.done', { opd: movedTo })}
          </p>
        ) : null}
        {dispoOpen ? (
          <DispositionForm
            item={item}
            onCancel={() => setDispoOpen(false)}
            onDone={(updated) => {
              setDispoOpen(false)
              setMovedTo(updated.opd.name)
              onItemChanged(updated)
            }}
          />
        ) : null}
      </header>
      <Thread detail={detail} />
      <ReplyBox itemId={item.id} platform={item.platform} windowClosesAt={detail.replyWindowClosesAt} onSent={onReplySent} />
    </article>
  )
}

/** The due time (WIB), the countdown and the SLA status; ticks every second on its own, not the whole pane. */
function DueRows({ item }: { item: ItemSummary }) {
  const { t, lang } = useI18n()
  const now = useNow(1000)
  const calendars = useCalendars()
  const sla = slaState(item, now)
  return (
    <>
      <div data-testid="detail-due">
        <dt>{t('detail.due')}</dt>
        <dd>
          {item.dueAt !== null && sla !== 'none' ? (
            <>
              <span className="detail-due-time">{formatDateTime(item.dueAt, lang)}</span> <SlaCountdown item={item} now={now} calendars={calendars} />
            </>
          ) : (
            <span className="muted">{t('detail.dueNone')}</span>
          )}
        </dd>
      </div>
      {sla !== 'none' ? (
        <div>
          <dt>{t('detail.slaStatus')}</dt>
          <dd>
            <span className={`badge badge-sla-${sla}`} data-testid="detail-sla-status" data-sla={sla}>
              {t(`sla.state.${sla}`)}
            </span>
          </dd>
        </div>
      ) : null}
    </>
  )
}
