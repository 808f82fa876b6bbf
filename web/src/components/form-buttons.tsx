import { useI18n } from '../i18n.ts'

/** Cancel and submit at the foot of a form. */
export function FormButtons({
  onCancel,
  submitLabel,
  submitDisabled,
  submitTestId,
}: {
  onCancel(): void
  submitLabel: string
  submitDisabled: boolean
  submitTestId: string
}) {
  const { t } = useI18n()
  return (
    <div className="row-buttons">
      <button type="button" className="button" onClick={onCancel}>
        {t('common.cancel')}
      </button>
      <button type="submit" className="button primary" disabled={submitDisabled} data-testid={submitTestId}>
        {submitLabel}
      </button>
    </div>
  )
}
