import { useEffect, useRef, useState } from 'react'
import type { BoardBreach, BoardQuery, BoardTile, ChannelOption, ServerFrame, Session } from '@tanggap/shared'
import { ApiError, getSession, listChannelOptions } from '../api.ts'
import { FilterSelect, PlatformFilter } from '../components/filter-select.tsx'
import { InboxHeader } from '../components/inbox-header.tsx'
import { LoadError } from '../components/load-error.tsx'
import { UntrustedText } from '../components/untrusted-text.tsx'
import { useI18n } from '../i18n.ts'
import { connectLive, type LiveState } from '../live.ts'
import { Link, useTitle } from '../router.tsx'
import { setSession } from '../session.ts'
import { formatDateTime, formatDurationLong, formatShort } from '../time.ts'
import { breachKey, useBoard } from '../use-board.ts'

async function checkSession(): Promise<void> {
  try {
    await getSession()
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) setSession(null)
  }
}

/**
 * /papan — the live SLA board: one tile per OPD (supervisors and superadmins see every OPD, an OPD
 * admin their own: the API filters) and the latest breaches as they happen.
 */
export function BoardPage({ session }: { session: Session }) {
  const { t } = useI18n()
  const [query, setQuery] = useState<BoardQuery>({})
  const [live, setLive] = useState<LiveState>('connecting')
  const [channels, setChannels] = useState<ChannelOption[] | null>(null)
  const board = useBoard(query)
  const breachedTotal = board.board?.tiles.reduce((n, x) => n + x.breached, 0) ?? 0
  useTitle(`${breachedTotal > 0 ? `(${breachedTotal}) ` : ''}${t('board.title')} · ${t('app.name')}`)

  useEffect(() => {
    listChannelOptions().then(setChannels, () => setChannels([]))
  }, [])

  const latest = useRef(board)
  useEffect(() => {
    latest.current = board
  })
  // biome-ignore lint/correctness/useExhaustiveDependencies: the socket belongs to the signed-in user: another user, another socket
  useEffect(() => {
    return connectLive({
      onState: setLive,
      onClose: () => void checkSession(),
      // First open and every reconnect: catch up on what the socket may have missed, without a reload.
      onOpen: () => latest.current.refresh(),
      onFrame: (frame: ServerFrame) => latest.current.onFrame(frame),
    })
  }, [session.user.id])

  return (
    <div className="board-page">
      <InboxHeader session={session} live={live} current="board" />
      <main className="board-main" data-testid="board-page">
        <div className="board-title">
          <div>
            <h1>{t('board.title')}</h1>
            <p className="muted small">{t('board.intro')}</p>
          </div>
          <BoardFilters value={query} onChange={setQuery} channels={channels} />
        </div>
        <BoardBody board={board} />
      </main>
    </div>
  )
}

function BoardFilters({ value, onChange, channels }: { value: BoardQuery; onChange(next: BoardQuery): void; channels: ChannelOption[] | null }) {
  const { t } = useI18n()
  const shown = (channels ?? []).filter((c) => !value.platform || c.platform === value.platform)
  return (
    <div className="board-filters">
      <PlatformFilter
        label={t('board.filter.platform')}
        testId="board-filter-platform"
        value={value.platform}
        onChange={(platform) => {
          const channel = value.channel && channels?.find((c) => c.id === value.channel)
          // A channel of another platform no longer fits: drop it.
          onChange({ platform, channel: channel && (!platform || channel.platform === platform) ? channel.id : undefined })
        }}
      />
      <FilterSelect
        label={t('board.filter.channel')}
        testId="board-filter-channel"
        value={value.channel ?? ''}
        disabled={channels === null}
        empty={channels === null ? t('common.loading') : t('common.all')}
        choices={shown.map((c) => ({ value: c.id, label: `${c.name} (${c.opd.shortName})` }))}
        onChange={(v) => onChange({ ...value, channel: v ? Number(v) : undefined })}
      />
    </div>
  )
}

function BoardBody({ board }: { board: ReturnType<typeof useBoard> }) {
  const { t, lang } = useI18n()
  if (board.phase === 'loading' || (board.phase === 'ready' && !board.board)) {
    return (
      <p className="list-state" role="status" data-testid="board-loading">
        {t('common.loading')}
      </p>
    )
  }
  if (board.phase === 'error' || !board.board) {
    return <LoadError className="list-state" error={board.error} onRetry={board.retry} />
  }
  const { tiles, generatedAt } = board.board
  const sum = (f: (x: BoardTile) => number) => tiles.reduce((n, x) => n + f(x), 0)
  return (
    <div className="board-layout">
      <section className="board-tiles-section" aria-label={t('board.tilesLabel')}>
        <p className="board-totals" data-testid="board-totals">
          {t('board.totals', { open: sum((x) => x.open), near: sum((x) => x.nearDue), breached: sum((x) => x.breached) })}
          <span className="muted small board-updated"> · {t('board.updated', { time: formatShort(generatedAt, generatedAt, lang) })}</span>
        </p>
        {tiles.length === 0 ? (
          <p className="list-state" data-testid="board-tiles-empty">
            {t('board.tilesEmpty')}
          </p>
        ) : (
          <ul className="board-tiles" data-testid="board-tiles">
            {tiles.map((tile) => (
              <Tile key={tile.opd.id} tile={tile} />
            ))}
          </ul>
        )}
      </section>
      <BreachFeed feed={board.feed} fresh={board.fresh} />
    </div>
  )
}

function Tile({ tile }: { tile: BoardTile }) {
  const { t, lang } = useI18n()
  const level = tile.breached > 0 ? 'breached' : tile.nearDue > 0 ? 'warning' : 'normal'
  const working = tile.medianFirstResponseWorkingSeconds
  const wall = tile.medianFirstResponseSeconds
  return (
    <li className={`board-tile tile-${level}`} data-testid="board-tile" data-opd-code={tile.opd.code} data-level={level}>
      <h3 className="tile-name" title={tile.opd.name}>
        {tile.opd.shortName}
      </h3>
      <dl className="tile-counts">
        <div className="tile-count count-open">
          <dt>{t('board.open')}</dt>
          <dd data-testid="tile-open">{tile.open}</dd>
        </div>
        <div className={`tile-count count-near${tile.nearDue > 0 ? ' is-hot' : ''}`}>
          <dt>{t('board.nearDue')}</dt>
          <dd data-testid="tile-near-due">{tile.nearDue}</dd>
        </div>
        <div className={`tile-count count-breached${tile.breached > 0 ? ' is-hot' : ''}`}>
          <dt>{t('board.breached')}</dt>
          <dd data-testid="tile-breached">{tile.breached}</dd>
        </div>
      </dl>
      <div className="tile-median" data-testid="tile-median">
        <span className="tile-median-label">{t('board.median')}</span>
        {working !== null && wall !== null ? (
          <>
            <strong title={t('board.medianWall', { d: formatDurationLong(wall * 1000, lang) })}>
              {t('board.medianWorking', { d: formatDurationLong(working * 1000, lang) })}
            </strong>
            <span className="muted small">
              {t('board.medianWall', { d: formatDurationLong(wall * 1000, lang) })} · {t('board.answeredToday', { n: tile.answeredToday })}
            </span>
          </>
        ) : (
          <span className="muted">{t('board.medianNone')}</span>
        )}
      </div>
    </li>
  )
}

function BreachFeed({ feed, fresh }: { feed: BoardBreach[]; fresh: ReadonlySet<string> }) {
  const { t } = useI18n()
  return (
    <section className="breach-feed" aria-labelledby="breach-feed-title">
      <h2 id="breach-feed-title">{t('board.feed')}</h2>
      {feed.length === 0 ? (
        <p className="muted small" data-testid="breach-feed-empty">
          {t('board.feedEmpty')}
        </p>
      ) : null}
      <ol className="breach-list" data-testid="breach-feed" aria-live="polite">
        {feed.map((b) => (
          <li
            key={breachKey(b)}
            className={fresh.has(breachKey(b)) ? 'is-fresh' : undefined}
            data-testid="breach-item"
            data-item-id={b.item?.id}
            data-moved={b.item ? undefined : 'true'}
          >
            <BreachEntry breach={b} />
          </li>
        ))}
      </ol>
    </section>
  )
}

/** One breach: it opens the item, unless the item has since moved to an OPD this user may not see. */
function BreachEntry({ breach: b }: { breach: BoardBreach }) {
  const { t, lang } = useI18n()
  const top = (
    <span className="breach-top">
      <span className="breach-opd" title={b.opd.name}>
        {b.opd.shortName}
      </span>
      {b.item ? <span className={`platform platform-${b.item.platform}`}>{t(`platform.${b.item.platform}`)}</span> : null}
      <time className="breach-due" dateTime={new Date(b.at).toISOString()}>
        {t('board.feedDue', { time: formatDateTime(b.at, lang) })}
      </time>
    </span>
  )
  if (!b.item) {
    return (
      <div className="breach-link breach-moved">
        {top}
        <span className="breach-preview" data-testid="breach-moved">
          {t('board.feedMoved')}
        </span>
      </div>
    )
  }
  return (
    <Link to={`/kotak-masuk/${b.item.id}`} className="breach-link">
      {top}
      <span className="breach-name">
        <UntrustedText text={b.item.citizenName} />
      </span>
      <span className="breach-preview">
        <UntrustedText text={b.item.preview} />
      </span>
    </Link>
  )
}
