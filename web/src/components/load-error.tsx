import { errorText } from '../errors.ts'
import { useI18n } from '../i18n.ts'

/** Why something could not be loaded, and a button to try again. */
export function LoadError({ error, onRetry, className, messageClassName }: { error: unknown; onRetry(): void; className?: string; messageClassName?: string }) {
  const { t } = useI18n()
  return (
    <div className={className} role="alert">
      <p className={messageClassName}>{errorText(error, t)}</p>
      <button type="button" className="button" onClick={onRetry}>
        {t('common.retry')}
      </button>
    </div>
  )
}
