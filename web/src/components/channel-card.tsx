import { useState } from 'react'
import type { AdminChannel, ChannelTestResult } from '@tanggap/shared'
import { testChannel } from '../api.ts'
import { errorText } from '../errors.ts'
import { useI18n } from '../i18n.ts'
import { formatDateTime } from '../time.ts'
import { CopyField } from './copy-field.tsx'
import { ErrorAlert } from './error-alert.tsx'
import { UntrustedSentence, UntrustedText } from './untrusted-text.tsx'

interface Props {
  channel: AdminChannel
  onEdit(): void
  /** After a connection test the server has updated the channel's last error: reload it. */
  onTested(): void
}

/** One channel: its account, OPD, health (last delivery, last error, quota), what to paste where, and a connection test. */
export function ChannelCard({ channel: c, onEdit, onTested }: Props) {
  const { t, lang } = useI18n()
  const [testing, setTesting] = useState(false)
  const [result, setResult] = useState<ChannelTestResult | null>(null)
  const [testError, setTestError] = useState<string | null>(null)

  async function runTest() {
    setTesting(true)
    setResult(null)
    setTestError(null)
    try {
      setResult(await testChannel(c.id))
      onTested()
    } catch (err) {
      setTestError(errorText(err, t))
    } finally {
      setTesting(false)
    }
  }

  return (
    <article className={`channel-card${c.active ? '' : ' is-inactive'}`} data-testid="channel-card" data-channel-id={c.id} data-platform={c.platform}>
      <header className="channel-head">
        <span className={`platform-tag platform-${c.platform}`}>{t(`platform.${c.platform}`)}</span>
        <h3 className="channel-name" data-testid="channel-card-name">
          <UntrustedText text={c.name} />
        </h3>
        <span className={`badge ${c.active ? 'badge-active' : 'badge-inactive'}`} data-testid="channel-active-badge">
          {c.active ? t('channels.active') : t('channels.inactive')}
        </span>
      </header>
      {c.demo ? (
        // Gray while idle, green when the simulator answers in the platform's place.
        <p className={`alert ${c.demo === 'idle' ? 'badge-inactive' : 'alert-ok'}`} data-testid="channel-demo" data-demo={c.demo}>
          {c.demo === 'idle' ? t('channels.demoIdle') : t('channels.demoConnected')}
        </p>
      ) : null}
      <dl className="channel-meta">
        <div>
          <dt>{t('channels.accountId')}</dt>
          <dd className="mono" data-testid="channel-card-account">
            <UntrustedText text={c.accountId} />
          </dd>
        </div>
        <div>
          <dt>{t('channels.opd')}</dt>
          <dd title={c.opd.name}>{c.opd.name}</dd>
        </div>
        <div>
          <dt>{t('channels.lastDelivery')}</dt>
          <dd data-testid="channel-last-delivery">{c.lastDeliveryAt !== null ? formatDateTime(c.lastDeliveryAt, lang) : t('channels.never')}</dd>
        </div>
        <div>
          <dt>{t('channels.secrets')}</dt>
          <dd data-testid="channel-secrets-set">{c.secretsSet.length ? c.secretsSet.join(', ') : t('channels.noSecrets')}</dd>
        </div>
        {c.quota ? (
          <div>
            <dt>{t('channels.quota')}</dt>
            <dd data-testid="channel-quota">
              <meter min={0} max={c.quota.limit} value={c.quota.usedToday} high={c.quota.limit * 0.8} optimum={0} />{' '}
              {t('channels.quotaValue', {
                used: c.quota.usedToday.toLocaleString(lang === 'id' ? 'id-ID' : 'en-GB'),
                limit: c.quota.limit.toLocaleString(lang === 'id' ? 'id-ID' : 'en-GB'),
              })}
            </dd>
          </div>
        ) : null}
        <div className="channel-error-row">
          <dt>{t('channels.lastError')}</dt>
          <dd className={c.lastError ? 'error-text' : ''} data-testid="channel-last-error">
            {c.lastError ? (
              <>
                <UntrustedText text={c.lastError} />
                {c.lastErrorAt !== null ? <span className="muted small"> · {formatDateTime(c.lastErrorAt, lang)}</span> : null}
              </>
            ) : (
              t('channels.noError')
            )}
          </dd>
        </div>
      </dl>

      <div className="channel-connect">
        {c.webhookUrl ? <CopyField label={t('channels.webhookUrl')} value={c.webhookUrl} testId="channel-webhook-url" /> : null}
        {c.verifyToken ? <CopyField label={t('channels.verifyToken')} value={c.verifyToken} testId="channel-verify-token" /> : null}
        <p className="muted small channel-where">{t(`channels.where.${c.platform}`)}</p>
      </div>

      <div className="row-buttons">
        <button type="button" className="button" onClick={onEdit} data-testid="channel-edit">
          {t('channels.edit')}
        </button>
        <button type="button" className="button" onClick={() => void runTest()} disabled={testing} data-testid="channel-test">
          {testing ? t('channels.testing') : t('channels.test')}
        </button>
      </div>
      {result ? (
        <p className={`alert ${result.ok ? 'alert-ok' : 'alert-error'}`} role="status" data-testid="channel-test-result" data-ok={String(result.ok)}>
          <UntrustedSentence template={result.ok ? t('channels.testOk') : t('channels.testFailed')} values={{ detail: result.detail }} />
        </p>
      ) : null}
      <ErrorAlert message={testError} />
    </article>
  )
}
