import { useRef, useState, type FormEvent } from 'react'
import { CHANNEL_LIMITS, CHANNEL_SECRETS, META_WEBHOOK_PLATFORMS, type AdminChannel, type OpdRef, type Platform } from '@tanggap/shared'
import { ApiError, createChannel, updateChannel } from '../api.ts'
import { errorText } from '../errors.ts'
import { useI18n, type MessageKey } from '../i18n.ts'
import { ErrorAlert } from './error-alert.tsx'
import { bindValue, Field } from './field.tsx'
import { FormButtons } from './form-buttons.tsx'
import { opdChoices, Options, platformChoices } from './options.tsx'

export interface ChannelPreset {
  platform: Platform
  accountId: string
}

interface Props {
  /** The channel being edited; absent when adding one. */
  channel?: AdminChannel
  preset?: ChannelPreset
  opds: OpdRef[] | null
  onSaved(channel: AdminChannel): void
  onCancel(): void
}

/** Which message explains a field the server rejected. */
function fieldMessage(field: string): MessageKey {
  if (field === 'accountId') return 'channels.error.accountId'
  if (field === 'opdId') return 'channels.error.opd'
  if (field.startsWith('secrets.')) return 'channels.error.secret'
  return 'channels.error.field'
}

/**
 * Adds or edits a channel. Secrets are password inputs that React never controls, so a typed value
 * never becomes an attribute of the page; a saved secret shows "tersimpan" and an empty field keeps it.
 */
export function ChannelForm({ channel, preset, opds, onSaved, onCancel }: Props) {
  const { t, lang } = useI18n()
  const editing = channel !== undefined
  const formRef = useRef<HTMLFormElement>(null)
  const [platform, setPlatform] = useState<Platform>(channel?.platform ?? preset?.platform ?? 'facebook')
  const [accountId, setAccountId] = useState(channel?.accountId ?? preset?.accountId ?? '')
  const [name, setName] = useState(channel?.name ?? '')
  const [opdId, setOpdId] = useState(channel ? String(channel.opd.id) : '')
  const [active, setActive] = useState(channel?.active ?? true)
  const [removed, setRemoved] = useState<Set<string>>(new Set())
  const [saving, setSaving] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [fieldErrors, setFieldErrors] = useState<string[]>([])

  const secretFields = CHANNEL_SECRETS[platform]
  const isMeta = META_WEBHOOK_PLATFORMS.includes(platform)
  const saved = new Set(channel?.secretsSet ?? [])
  const invalid = (field: string) => fieldErrors.includes(field)
  const idPrefix = `channel-${channel?.id ?? 'new'}`

  function toggleRemove(key: string) {
    setRemoved((prev) => {
      const next = new Set(prev)
      if (next.has(key)) next.delete(key)
      else next.add(key)
      return next
    })
  }

  /** The typed secrets, read from the inputs only now. */
  function readSecrets(): Record<string, string> {
    const out: Record<string, string> = {}
    const form = formRef.current
    if (!form) return out
    for (const f of secretFields) {
      const input = form.elements.namedItem(`secret-${f.key}`)
      if (input instanceof HTMLInputElement && input.value.trim()) out[f.key] = input.value.trim()
    }
    return out
  }

  async function submit(e: FormEvent) {
    e.preventDefault()
    if (saving) return
    setSaving(true)
    setError(null)
    setFieldErrors([])
    try {
      const typed = readSecrets()
      let result: AdminChannel
      if (channel) {
        const secrets: Record<string, string | null> = { ...typed }
        for (const key of removed) if (!(key in typed)) secrets[key] = null
        result = await updateChannel(channel.id, { name: name.trim(), opdId: Number(opdId), active, ...(Object.keys(secrets).length ? { secrets } : {}) })
      } else {
        result = await createChannel({
          platform,
          accountId: accountId.trim(),
          name: name.trim(),
          opdId: Number(opdId),
          active,
          ...(Object.keys(typed).length ? { secrets: typed } : {}),
        })
      }
      formRef.current?.reset()
      onSaved(result)
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) {
        setFieldErrors(err.fields)
        setError(t(err.fields.includes('platform') ? 'channels.error.websiteOnce' : 'channels.error.duplicate'))
      } else if (err instanceof ApiError && err.status === 400 && err.fields.length) {
        setFieldErrors(err.fields)
        setError(t('channels.error.fields'))
      } else setError(errorText(err, t))
      setSaving(false)
    }
  }

  const fieldError = (field: string) =>
    invalid(field) ? (
      <span className="field-error" data-testid={`field-error-${field}`}>
        {t(fieldMessage(field))}
      </span>
    ) : null

  return (
    <form ref={formRef} className="channel-form" onSubmit={submit} data-testid="channel-form" autoComplete="off">
      <h3>{editing ? t('channels.form.editTitle') : t('channels.form.addTitle')}</h3>
      <div className="form-grid">
        <Field label={t('channels.form.platform')} invalid={invalid('platform')}>
          <select {...bindValue(platform, (v) => setPlatform(v as Platform))} disabled={editing} data-testid="channel-platform">
            <Options choices={platformChoices(t)} />
          </select>
          {fieldError('platform')}
        </Field>
        <Field label={t('channels.form.accountId')} invalid={invalid('accountId')}>
          <input
            {...bindValue(accountId, setAccountId)}
            readOnly={editing}
            required
            maxLength={CHANNEL_LIMITS.accountId}
            inputMode={['facebook', 'instagram', 'whatsapp', 'telegram', 'x'].includes(platform) ? 'numeric' : 'text'}
            spellCheck={false}
            data-testid="channel-account"
          />
          <span className="muted small">{editing ? t('channels.form.accountFixed') : t(`channels.form.accountHint.${platform}`)}</span>
          {fieldError('accountId')}
        </Field>
        <Field label={t('channels.form.name')} invalid={invalid('name')}>
          <input {...bindValue(name, setName)} required maxLength={CHANNEL_LIMITS.name} data-testid="channel-name" />
          <span className="muted small">{t('channels.form.nameHint')}</span>
          {fieldError('name')}
        </Field>
        <Field label={t('channels.form.opd')} invalid={invalid('opdId')}>
          <select {...bindValue(opdId, setOpdId)} required disabled={!opds} data-testid="channel-opd">
            <Options empty={opds ? t('channels.form.chooseOpd') : t('common.loading')} choices={opdChoices(opds ?? [])} />
          </select>
          {fieldError('opdId')}
        </Field>
      </div>
      <label className="check">
        <input type="checkbox" checked={active} onChange={(e) => setActive(e.target.checked)} data-testid="channel-active" />
        <span>{t('channels.form.active')}</span>
      </label>

      <fieldset className="secrets" key={platform}>
        <legend>{t('channels.form.secretsTitle')}</legend>
        {secretFields.length === 0 ? (
          <p className="muted small">{t('channels.form.noSecrets')}</p>
        ) : (
          <p className="muted small">{t('channels.form.secretsHint')}</p>
        )}
        {secretFields.map((f) => {
          const isSaved = saved.has(f.key)
          const willRemove = removed.has(f.key)
          const rotates = isMeta && f.key === 'verifyToken'
          const inputId = `${idPrefix}-secret-${f.key}`
          return (
            <div key={f.key} className={`field${invalid(`secrets.${f.key}`) ? ' invalid' : ''}`} data-testid={`secret-field-${f.key}`}>
              <span className="secret-head">
                <label className="field-label" htmlFor={inputId}>
                  {f.label[lang]}
                </label>
                {isSaved ? (
                  <span className="badge badge-saved" data-testid={`secret-saved-${f.key}`}>
                    {t('channels.form.secretSaved')}
                  </span>
                ) : null}
                {isSaved && willRemove ? (
                  <span className="small secret-removing">{rotates ? t('channels.form.verifyTokenWillRotate') : t('channels.form.secretWillRemove')}</span>
                ) : null}
                {isSaved ? (
                  <button type="button" className="link-button small" onClick={() => toggleRemove(f.key)} data-testid={`secret-remove-${f.key}`}>
                    {willRemove ? t('channels.form.secretRemoveUndo') : rotates ? t('channels.form.verifyTokenRotate') : t('channels.form.secretRemove')}
                  </button>
                ) : null}
              </span>
              <input
                id={inputId}
                name={`secret-${f.key}`}
                type="password"
                autoComplete="new-password"
                spellCheck={false}
                maxLength={CHANNEL_LIMITS.secret}
                placeholder={isSaved ? '••••••••' : ''}
                disabled={willRemove}
                aria-describedby={isSaved || rotates ? `${inputId}-hint` : undefined}
                data-testid={`secret-${f.key}`}
              />
              {isSaved && !willRemove ? (
                <span id={`${inputId}-hint`} className="muted small">
                  {t('channels.form.secretKeep')}
                </span>
              ) : !isSaved && rotates ? (
                <span id={`${inputId}-hint`} className="muted small">
                  {t('channels.form.verifyTokenAuto')}
                </span>
              ) : null}
              {fieldError(`secrets.${f.key}`)}
            </div>
          )
        })}
      </fieldset>

      <ErrorAlert message={error} testId="channel-form-error" />
      <FormButtons
        onCancel={onCancel}
        submitLabel={saving ? t('channels.form.saving') : editing ? t('channels.form.save') : t('channels.form.create')}
        submitDisabled={saving}
        submitTestId="channel-save"
      />
    </form>
  )
}
