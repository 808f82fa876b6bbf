import { useEffect, useState, type FormEvent } from 'react'
import { LIMITS, type ItemSummary, type OpdRef } from '@tanggap/shared'
import { disposeItem, listOpds } from '../api.ts'
import { errorText } from '../errors.ts'
import { useI18n } from '../i18n.ts'

let opdsCache: Promise<OpdRef[]> | null = null
const loadOpds = () => {
  opdsCache ??= listOpds().catch((err: unknown) => {
    opdsCache = null
    throw err
  })
  return opdsCache
}

/** "Disposisi": hand the item to another OPD with a reason. */
export function DispositionForm({ item, onDone, onCancel }: { item: ItemSummary; onDone(item: ItemSummary): void; onCancel(): void }) {
  const { t } = useI18n()
  const [opds, setOpds] = useState<OpdRef[] | null>(null)
  const [loadError, setLoadError] = useState<unknown>(null)
  const [toOpdId, setToOpdId] = useState('')
  const [reason, setReason] = useState('')
  const [sending, setSending] = useState(false)
  const [error, setError] = useState<string | null>(null)

  useEffect(() => {
    let alive = true
    loadOpds().then(
      (list) => alive && setOpds(list),
      (err: unknown) => alive && setLoadError(err),
    )
    return () => {
      alive = false
    }
  }, [])

  const valid = toOpdId !== '' && reason.trim().length >= 3

  async function submit(e: FormEvent) {
    e.preventDefault()
    if (!valid || sending) return
    setSending(true)
    setError(null)
    try {
      const updated = await disposeItem(item.id, { toOpdId: Number(toOpdId), reason: reason.trim() })
      onDone(updated)
    } catch (err) {
      setError(errorText(err, t))
      setSending(false)
    }
  }

  return (
    <form className="disposition card" onSubmit={submit} data-testid="disposition-form">
      <h3>{t('dispo.title')}</h3>
      {loadError ? (
        <p className="alert alert-error" role="alert">
          {errorText(loadError, t)}
        </p>
      ) : null}
      <label className="field">
        <span className="field-label">{t('dispo.to')}</span>
        <select value={toOpdId} onChange={(e) => setToOpdId(e.target.value)} disabled={!opds} data-testid="disposition-opd" required>
          <option value="">{opds ? t('dispo.choose') : t('common.loading')}</option>
          {(opds ?? [])
            .filter((o) => o.id !== item.opd.id)
            .map((o) => (
              <option key={o.id} value={o.id}>
                {o.name}
              </option>
            ))}
        </select>
      </label>
      <label className="field">
        <span className="field-label">{t('dispo.reason')}</span>
        <textarea
          rows={2}
          maxLength={LIMITS.reason}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          data-testid="disposition-reason"
          required
        />
        <span className="muted small">{t('dispo.reasonHint')}</span>
      </label>
      {error ? (
        <p className="alert alert-error" role="alert">
          {error}
        </p>
      ) : null}
      <div className="row-buttons">
        <button type="button" className="button" onClick={onCancel}>
          {t('common.cancel')}
        </button>
        <button type="submit" className="button primary" disabled={!valid || sending} data-testid="disposition-submit">
          {sending ? t('dispo.sending') : t('dispo.submit')}
        </button>
      </div>
    </form>
  )
}
