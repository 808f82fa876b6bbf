import { useEffect, useRef, useState } from 'react'
import type { ItemSummary, ReplyView, ServerFrame, Session } from '@tanggap/shared'
import { ApiError, getSession, type ItemFilters } from '../api.ts'
import { InboxHeader } from '../components/inbox-header.tsx'
import { ItemDetailPane } from '../components/item-detail.tsx'
import { ItemFiltersBar } from '../components/item-filters.tsx'
import { ItemList } from '../components/item-list.tsx'
import { useI18n } from '../i18n.ts'
import { connectLive, type LiveState } from '../live.ts'
import { useTitle } from '../router.tsx'
import { setSession } from '../session.ts'
import { useItemDetail } from '../use-item-detail.ts'
import { useItemList } from '../use-item-list.ts'

async function checkSession(): Promise<void> {
  try {
    await getSession()
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) setSession(null)
  }
}

/** /kotak-masuk and /kotak-masuk/:id — the list on the left, the open item on the right. */
export function InboxPage({ session, itemId }: { session: Session; itemId: number | null }) {
  const { t } = useI18n()
  const [filters, setFilters] = useState<ItemFilters>({})
  const [live, setLive] = useState<LiveState>('connecting')
  const list = useItemList(filters)
  const detail = useItemDetail(itemId)
  const openCount = list.items.filter((i) => i.status === 'open').length
  useTitle(`${openCount > 0 ? `(${openCount}) ` : ''}${t('inbox.title')} · ${t('app.name')}`)

  // The socket lives as long as the page; handlers read the latest state through a ref.
  const latest = useRef({ list, detail, itemId })
  useEffect(() => {
    latest.current = { list, detail, itemId }
  })
  // biome-ignore lint/correctness/useExhaustiveDependencies: the socket belongs to the signed-in user: another user, another socket
  useEffect(() => {
    return connectLive({
      onState: setLive,
      // A socket refused or closed may mean the session ended: ask, and go to /masuk if so.
      onClose: () => void checkSession(),
      onOpen: () => {
        // Anything created while we were not listening is in the first page.
        void latest.current.list.refresh(true)
        if (latest.current.itemId !== null) void latest.current.detail.refresh()
      },
      onFrame: (frame: ServerFrame) => {
        if (frame.type === 'hello') return
        const { list: l, detail: d, itemId: open } = latest.current
        l.applyLive(frame)
        if (frame.type === 'item.removed') {
          // Moved to another OPD: the detail now answers 404 and says so.
          if (frame.itemId === open) void d.refresh()
        } else if (frame.item.id === open) {
          d.patchItem(frame.item)
          void d.refresh()
        }
      },
    })
  }, [session.user.id])

  const onItemChanged = (item: ItemSummary) => {
    list.update(item)
    detail.patchItem(item)
  }
  const onReplySent = (reply: ReplyView) => {
    detail.addReply(reply)
    void detail.refresh()
  }

  return (
    <div className="inbox-page">
      <InboxHeader session={session} live={live} />
      <div className={`inbox${itemId !== null ? ' has-selection' : ''}`}>
        <section className="list-pane" aria-label={t('inbox.title')}>
          <ItemFiltersBar value={filters} onChange={setFilters} />
          <ItemList
            list={list}
            selectedId={itemId}
            filtered={Boolean(filters.status || filters.platform)}
            onLoadMore={() => void list.loadMore()}
            onRetry={() => void list.refresh(false)}
          />
        </section>
        <section className="detail-pane">
          <ItemDetailPane state={detail} onRetry={() => void detail.refresh()} onItemChanged={onItemChanged} onReplySent={onReplySent} />
        </section>
      </div>
    </div>
  )
}
