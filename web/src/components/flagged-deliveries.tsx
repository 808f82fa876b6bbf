import type { FlaggedDelivery } from '@tanggap/shared'
import { useI18n } from '../i18n.ts'
import { formatDateTime } from '../time.ts'
import type { ChannelPreset } from './channel-form.tsx'
import { LoadError } from './load-error.tsx'
import { UntrustedText } from './untrusted-text.tsx'

interface Props {
  list: FlaggedDelivery[] | null
  error: unknown
  onRetry(): void
  onAdd(preset: ChannelPreset): void
}

/** "Kiriman untuk akun yang belum terdaftar": deliveries naming accounts no channel knows, with a shortcut to add each. */
export function FlaggedDeliveries({ list, error, onRetry, onAdd }: Props) {
  const { t, lang } = useI18n()
  return (
    <section className="flagged card" aria-labelledby="flagged-title" data-testid="flagged-deliveries">
      <h2 id="flagged-title">{t('flagged.title')}</h2>
      <p className="muted small">{t('flagged.intro')}</p>
      {error ? (
        <LoadError messageClassName="alert alert-error" error={error} onRetry={onRetry} />
      ) : list === null ? (
        <p role="status">{t('common.loading')}</p>
      ) : list.length === 0 ? (
        <p className="muted" data-testid="flagged-empty">
          {t('flagged.empty')}
        </p>
      ) : (
        <div className="table-wrap">
          <table className="flagged-table">
            <thead>
              <tr>
                <th scope="col">{t('flagged.receivedAt')}</th>
                <th scope="col">{t('flagged.platform')}</th>
                <th scope="col">{t('flagged.accounts')}</th>
                <th scope="col">{t('flagged.size')}</th>
              </tr>
            </thead>
            <tbody>
              {list.map((f) => (
                <tr key={f.id} data-testid="flagged-row" data-delivery-id={f.id}>
                  <td data-label={t('flagged.receivedAt')}>{formatDateTime(f.receivedAt, lang)}</td>
                  <td data-label={t('flagged.platform')}>{t(`platform.${f.platform}`)}</td>
                  <td data-label={t('flagged.accounts')}>
                    {f.accounts.length === 0 ? (
                      <span className="mono">{f.flagDetail ? <UntrustedText text={f.flagDetail} /> : '—'}</span>
                    ) : (
                      <ul className="flagged-accounts">
                        {f.accounts.map((a) => (
                          <li key={`${a.platform}:${a.accountId}`}>
                            <span>
                              {t(`platform.${a.platform}`)}{' '}
                              <span className="mono">
                                <UntrustedText text={a.accountId} />
                              </span>
                            </span>
                            {a.known ? (
                              <span className="badge badge-active">{t('flagged.known')}</span>
                            ) : (
                              <button
                                type="button"
                                className="button small-button"
                                onClick={() => onAdd({ platform: a.platform, accountId: a.accountId })}
                                data-testid="flagged-add"
                              >
                                {t('flagged.addChannel')}
                              </button>
                            )}
                          </li>
                        ))}
                      </ul>
                    )}
                  </td>
                  <td data-label={t('flagged.size')}>{t('flagged.bytes', { n: f.bytes.toLocaleString(lang === 'id' ? 'id-ID' : 'en-GB') })}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  )
}
