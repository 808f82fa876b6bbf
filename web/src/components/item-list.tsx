import type { ItemSummary } from '@tanggap/shared'
import { useCalendars, type Calendars } from '../calendars.ts'
import { errorText } from '../errors.ts'
import { useI18n } from '../i18n.ts'
import { Link } from '../router.tsx'
import { formatDateTime, formatDuration, formatShort } from '../time.ts'
import type { ItemListState } from '../use-item-list.ts'
import { slaState } from '../sla.ts'
import { useNow } from '../use-now.ts'
import { ErrorAlert } from './error-alert.tsx'
import { LoadError } from './load-error.tsx'
import { SlaCountdown } from './sla-countdown.tsx'
import { ItemStatusBadge } from './status-badge.tsx'
import { UntrustedText } from './untrusted-text.tsx'

interface Props {
  list: ItemListState
  selectedId: number | null
  filtered: boolean
  onLoadMore(): void
  onRetry(): void
}

export function ItemList({ list, selectedId, filtered, onLoadMore, onRetry }: Props) {
  const { t } = useI18n()
  // Every second: the countdowns tick and change colour at the warning and due moments.
  const now = useNow(1000)
  const calendars = useCalendars()

  if (list.phase === 'loading') {
    return (
      <div className="list-state" role="status" data-testid="item-list-loading">
        {t('common.loading')}
      </div>
    )
  }
  if (list.phase === 'error') {
    return <LoadError className="list-state" error={list.error} onRetry={onRetry} />
  }
  return (
    <div className="item-list-wrap">
      <ul className="item-list" data-testid="item-list" aria-live="polite">
        {list.items.map((item) => (
          <ItemRow key={item.id} item={item} selected={item.id === selectedId} now={now} calendars={calendars} />
        ))}
      </ul>
      {list.items.length === 0 ? (
        <p className="list-state empty" data-testid="item-list-empty">
          {filtered ? t('inbox.emptyFiltered') : t('inbox.empty')}
        </p>
      ) : null}
      <ErrorAlert message={list.moreError ? errorText(list.moreError, t) : null} />
      {list.nextCursor ? (
        <button type="button" className="button load-more" onClick={onLoadMore} disabled={list.loadingMore} data-testid="load-more">
          {list.loadingMore ? t('inbox.loadingMore') : t('inbox.loadMore')}
        </button>
      ) : null}
    </div>
  )
}

function ItemRow({ item, selected, now, calendars }: { item: ItemSummary; selected: boolean; now: number; calendars: Calendars | null }) {
  const { t, lang } = useI18n()
  const waiting = item.status === 'open' && item.awaitingSince !== null ? now - item.awaitingSince : null
  const sla = slaState(item, now)
  return (
    <li>
      <Link
        to={`/kotak-masuk/${item.id}`}
        className={`item-row${selected ? ' selected' : ''}${item.status === 'open' ? ' is-open' : ''} sla-row-${sla}`}
        aria-current={selected ? 'true' : undefined}
        data-testid="item-row"
        data-item-id={item.id}
        data-sla={sla}
      >
        <span className="row-top">
          <span className={`platform platform-${item.platform}`}>{t(`platform.${item.platform}`)}</span>
          <span className="row-opd" title={item.opd.name}>
            {item.opd.shortName}
          </span>
          <time className="row-time" dateTime={new Date(item.lastMessageAt).toISOString()} title={formatDateTime(item.lastMessageAt, lang)}>
            {formatShort(item.lastMessageAt, now, lang)}
          </time>
        </span>
        <span className="row-name">
          <UntrustedText text={item.citizenName} />
        </span>
        <span className="row-preview">
          <UntrustedText text={item.preview} />
        </span>
        <span className="row-bottom">
          <ItemStatusBadge status={item.status} />
          {item.excludedReason ? <span className="badge badge-excluded">{t(`exclusion.${item.excludedReason}`)}</span> : null}
          <SlaCountdown item={item} now={now} calendars={calendars} />
          {waiting !== null && sla === 'none' ? (
            <span className="waiting" title={formatDateTime(item.awaitingSince ?? 0, lang)}>
              {t('inbox.waiting', { d: waiting < 60_000 ? t('time.justNow') : formatDuration(waiting, lang) })}
            </span>
          ) : null}
        </span>
      </Link>
    </li>
  )
}
