import { useEffect, useState, type FormEvent } from 'react'
import { LIMITS, type ItemSummary, type OpdRef } from '@tanggap/shared'
import { disposeItem, listOpds } from '../api.ts'
import { errorText } from '../errors.ts'
import { useI18n } from '../i18n.ts'
import { ErrorAlert } from './error-alert.tsx'
import { bindValue, Field } from './field.tsx'
import { FormButtons } from './form-buttons.tsx'
import { opdChoices, Options } from './options.tsx'

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
      <ErrorAlert message={loadError ? errorText(loadError, t) : null} />
      <Field label={t('dispo.to')}>
        <select {...bindValue(toOpdId, setToOpdId)} disabled={!opds} data-testid="disposition-opd" required>
          <Options empty={opds ? t('dispo.choose') : t('common.loading')} choices={opdChoices((opds ?? []).filter((o) => o.id !== item.opd.id))} />
        </select>
      </Field>
      <Field label={t('dispo.reason')}>
        <textarea rows={2} maxLength={LIMITS.reason} {...bindValue(reason, setReason)} data-testid="disposition-reason" required />
        <span className="muted small">{t('dispo.reasonHint')}</span>
      </Field>
      <ErrorAlert message={error} />
      <FormButtons
        onCancel={onCancel}
        submitLabel={sending ? t('dispo.sending') : t('dispo.submit')}
        submitDisabled={!valid || sending}
        submitTestId="disposition-submit"
      />
    </form>
  )
}
