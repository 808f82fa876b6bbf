import { useEffect, useState } from 'react'
import type { FailedDelivery } from '@tanggap/shared'
import { ApiError, FAILED_PAGE, listFailedDeliveries, retryDelivery } from '../api.ts'
import { errorText } from '../errors.ts'
import { useI18n } from '../i18n.ts'
import { formatDateTime } from '../time.ts'
import { LoadError } from './load-error.tsx'
import { UntrustedText } from './untrusted-text.tsx'

interface Props {
  list: FailedDelivery[] | null
  error: unknown
  /** Loads the list again (after a retry, or when loading failed). */
  onReload(): void
}

type Outcome = { id: number; ok: boolean; text: string }

/** "Kiriman yang gagal diproses": deliveries answered 2xx whose processing failed, each with its error and "process again". */
export function FailedDeliveries({ list, error, onReload }: Props) {
  const { t, lang } = useI18n()
  const [busy, setBusy] = useState<number | null>(null)
  const [outcome, setOutcome] = useState<Outcome | null>(null)
  // Older pages, fetched on request; a reload of the newest page starts over.
  const [older, setOlder] = useState<FailedDelivery[]>([])
  const [lastPage, setLastPage] = useState(0)
  const [loadingOlder, setLoadingOlder] = useState(false)
  const [olderError, setOlderError] = useState<unknown>(null)
  useEffect(() => {
    setOlder([])
    setLastPage(list?.length ?? 0)
    setOlderError(null)
  }, [list])
  const shown = list ? [...list, ...older] : null

  async function loadOlder() {
    const last = shown?.[shown.length - 1]
    if (!last) return
    setLoadingOlder(true)
    try {
      const page = await listFailedDeliveries(FAILED_PAGE, last.id)
      setOlder((o) => [...o, ...page])
      setLastPage(page.length)
      setOlderError(null)
    } catch (err) {
      setOlderError(err)
    } finally {
      setLoadingOlder(false)
    }
  }

  async function processAgain(id: number) {
    setBusy(id)
    setOutcome(null)
    try {
      await retryDelivery(id)
      setOutcome({ id, ok: true, text: t('failed.queued', { id }) })
      onReload()
    } catch (err) {
      // Already processed again (another tab, another superadmin) or gone: the list is out of date.
      if (err instanceof ApiError && (err.status === 409 || err.status === 404)) {
        setOutcome({ id, ok: true, text: t('failed.gone', { id }) })
        onReload()
      } else setOutcome({ id, ok: false, text: errorText(err, t) })
    } finally {
      setBusy(null)
    }
  }

  return (
    <section className="flagged card" aria-labelledby="failed-title" data-testid="failed-deliveries">
      <h2 id="failed-title">{t('failed.title')}</h2>
      <p className="muted small">{t('failed.intro')}</p>
      {outcome ? (
        <p className={outcome.ok ? 'alert alert-ok' : 'alert alert-error'} role={outcome.ok ? 'status' : 'alert'} data-testid="failed-outcome">
          {outcome.text}
        </p>
      ) : null}
      {error ? (
        <LoadError messageClassName="alert alert-error" error={error} onRetry={onReload} />
      ) : shown === null ? (
        <p role="status">{t('common.loading')}</p>
      ) : shown.length === 0 ? (
        <p className="muted" data-testid="failed-empty">
          {t('failed.empty')}
        </p>
      ) : (
        <div className="table-wrap">
          <table className="flagged-table">
            <thead>
              <tr>
                <th scope="col">{t('failed.receivedAt')}</th>
                <th scope="col">{t('failed.source')}</th>
                <th scope="col">{t('failed.attempts')}</th>
                <th scope="col">{t('failed.error')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('failed.action')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {shown.map((f) => (
                <tr key={f.id} data-testid="failed-row" data-delivery-id={f.id}>
                  <td data-label={t('failed.receivedAt')}>{formatDateTime(f.receivedAt, lang)}</td>
                  <td data-label={t('failed.source')}>
                    {/* One child: on phones each cell lays its children out beside its label. */}
                    <span>
                      {t(`platform.${f.platform}`)}
                      {f.channel ? (
                        <>
                          {' · '}
                          <UntrustedText text={f.channel.name} />
                        </>
                      ) : null}
                      {f.trackingCode ? (
                        <>
                          <br />
                          <span className="muted small">{t('failed.trackingCode')} </span>
                          <span className="mono">{f.trackingCode}</span>
                        </>
                      ) : null}
                    </span>
                  </td>
                  <td data-label={t('failed.attempts')}>{f.attempts}</td>
                  <td data-label={t('failed.error')}>
                    <span className="mono small" data-testid="failed-error">
                      <UntrustedText text={f.error || '—'} />
                    </span>
                  </td>
                  <td>
                    <button
                      type="button"
                      className="button small-button"
                      onClick={() => void processAgain(f.id)}
                      disabled={busy !== null}
                      aria-busy={busy === f.id}
                      data-testid="failed-retry"
                    >
                      {busy === f.id ? t('failed.processing') : t('failed.processAgain')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {olderError ? <LoadError messageClassName="alert alert-error" error={olderError} onRetry={() => void loadOlder()} /> : null}
          {lastPage >= FAILED_PAGE ? (
            <button
              type="button"
              className="button load-more"
              onClick={() => void loadOlder()}
              disabled={loadingOlder}
              aria-busy={loadingOlder}
              data-testid="failed-older"
            >
              {loadingOlder ? t('common.loading') : t('failed.older')}
            </button>
          ) : null}
        </div>
      )}
    </section>
  )
}
