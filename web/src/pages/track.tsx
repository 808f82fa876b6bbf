import { useEffect, useState, type FormEvent } from 'react'
import { normalizeTrackingCode, type PublicStatus } from '@tanggap/shared'
import { ApiError, getPublicStatus } from '../api.ts'
import { showBidiControls } from '../bidi.ts'
import { PublicLayout } from '../components/public-layout.tsx'
import { PublicStatusBadge } from '../components/status-badge.tsx'
import { UntrustedSentence, UntrustedText } from '../components/untrusted-text.tsx'
import { errorText } from '../errors.ts'
import { useI18n } from '../i18n.ts'
import { Link, navigate, useTitle } from '../router.tsx'
import { formatDateTime } from '../time.ts'

const POLL_MS = 15_000

type Load = { phase: 'loading' } | { phase: 'ready'; status: PublicStatus } | { phase: 'not-found' } | { phase: 'error'; error: unknown }

/** /lacak and /lacak/:code — the citizen's view of a question. */
export function TrackPage({ code }: { code: string | null }) {
  const { t } = useI18n()
  useTitle(`${code ? `${showBidiControls(code)} · ` : ''}${t('track.title')} · ${t('app.name')}`)
  return (
    <PublicLayout>
      {code ? <StatusView key={code} code={code} /> : null}
      <CodeForm initial={code ?? ''} compact={code !== null} />
    </PublicLayout>
  )
}

function CodeForm({ initial, compact }: { initial: string; compact: boolean }) {
  const { t } = useI18n()
  const [value, setValue] = useState(initial)
  useEffect(() => setValue(initial), [initial])
  const submit = (e: FormEvent) => {
    e.preventDefault()
    const code = normalizeTrackingCode(value.trim())
    if (code) navigate(`/lacak/${encodeURIComponent(code)}`)
  }
  return (
    <form className={`card form track-form${compact ? ' compact' : ''}`} onSubmit={submit}>
      {compact ? null : (
        <>
          <h1>{t('track.title')}</h1>
          <p className="muted">{t('track.intro')}</p>
        </>
      )}
      <label className="field">
        <span className="field-label">{t('track.code')}</span>
        <span className="inline-field">
          <input
            name="code"
            className="mono"
            autoCapitalize="characters"
            autoComplete="off"
            spellCheck={false}
            maxLength={20}
            placeholder="ABCD-2345"
            value={value}
            onChange={(e) => setValue(e.target.value)}
            data-testid="track-code"
          />
          <button type="submit" className="button primary" data-testid="track-submit">
            {t('track.submit')}
          </button>
        </span>
      </label>
      <p className="small">
        <Link to="/tanya">{t('track.ask')}</Link>
      </p>
    </form>
  )
}

function StatusView({ code }: { code: string }) {
  const { t, lang } = useI18n()
  const [load, setLoad] = useState<Load>({ phase: 'loading' })
  const done = load.phase === 'not-found' || (load.phase === 'ready' && (load.status.status === 'answered' || load.status.status === 'closed'))

  useEffect(() => {
    const ctrl = new AbortController()
    let timer: number | undefined
    let stopped = false
    const fetchOnce = async () => {
      try {
        const status = await getPublicStatus(code, ctrl.signal)
        setLoad({ phase: 'ready', status })
        if (status.status === 'answered' || status.status === 'closed') stopped = true
      } catch (err) {
        if (ctrl.signal.aborted) return
        if (err instanceof ApiError && err.status === 404) {
          setLoad({ phase: 'not-found' })
          stopped = true
        } else setLoad((prev) => (prev.phase === 'ready' ? prev : { phase: 'error', error: err }))
      }
      // Poll every 15 s until answered; skip the request while the tab is hidden.
      if (!stopped && !ctrl.signal.aborted) timer = window.setTimeout(tick, POLL_MS)
    }
    const tick = () => {
      if (document.visibilityState === 'hidden') timer = window.setTimeout(tick, POLL_MS)
      else void fetchOnce()
    }
    void fetchOnce()
    return () => {
      ctrl.abort()
      window.clearTimeout(timer)
    }
  }, [code])

  if (load.phase === 'loading')
    return (
      <p className="card" role="status">
        {t('common.loading')}
      </p>
    )
  if (load.phase === 'not-found')
    return (
      <section className="card not-found" role="alert" data-testid="track-not-found">
        <h1>{t('track.notFound')}</h1>
        <p>
          <UntrustedSentence template={t('track.notFoundBody')} values={{ code }} />
        </p>
      </section>
    )
  if (load.phase === 'error')
    return (
      <p className="card alert alert-error" role="alert">
        {errorText(load.error, t)}
      </p>
    )
  const s = load.status
  return (
    <section className="card status" data-testid="track-status" data-done={done ? 'true' : 'false'}>
      <div className="status-head">
        <h1 className="mono">{s.trackingCode}</h1>
        <PublicStatusBadge status={s.status} />
      </div>
      <dl className="detail-meta">
        <div>
          <dt>{t('track.askedAt')}</dt>
          <dd>{formatDateTime(s.askedAt, lang)}</dd>
        </div>
        <div>
          <dt>{t('track.opd')}</dt>
          <dd data-testid="status-opd">{s.opdName ?? t('track.opdPending')}</dd>
        </div>
      </dl>
      <h2>{t('track.question')}</h2>
      <p className="bubble bubble-in bubble-text" data-testid="status-question">
        <UntrustedText text={s.question} />
      </p>
      <h2>{t('track.answers')}</h2>
      {s.answers.length === 0 ? (
        <p className="muted">{t('track.noAnswers')}</p>
      ) : (
        <ol className="thread">
          {s.answers.map((a, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: answers have no id and only grow at the end, oldest first
            <li key={`${a.at}-${i}`} className="bubble bubble-out" data-testid="status-answer">
              <div className="bubble-meta">
                <span className="bubble-author">{a.opdName}</span>
                <time dateTime={new Date(a.at).toISOString()}>{formatDateTime(a.at, lang)}</time>
              </div>
              <p className="bubble-text">
                <UntrustedText text={a.text} />
              </p>
            </li>
          ))}
        </ol>
      )}
    </section>
  )
}
