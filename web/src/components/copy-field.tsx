import { useEffect, useRef, useState } from 'react'
import { useI18n } from '../i18n.ts'

/** Copies text to the clipboard; falls back to a hidden textarea where the Clipboard API is missing (plain http). */
export async function copyText(text: string): Promise<boolean> {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text)
      return true
    }
  } catch {
    // Permission refused: try the old way.
  }
  const area = document.createElement('textarea')
  area.value = text
  area.setAttribute('readonly', '')
  area.style.position = 'fixed'
  area.style.opacity = '0'
  document.body.appendChild(area)
  area.select()
  let ok = false
  try {
    ok = document.execCommand('copy')
  } catch {
    ok = false
  }
  area.remove()
  return ok
}

/** A value the superadmin pastes elsewhere (webhook URL, verify token), shown in full with a copy button. */
export function CopyField({ label, value, testId }: { label: string; value: string; testId: string }) {
  const { t } = useI18n()
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle')
  const timer = useRef<number | undefined>(undefined)
  useEffect(() => () => window.clearTimeout(timer.current), [])

  async function copy() {
    const ok = await copyText(value)
    setState(ok ? 'copied' : 'failed')
    window.clearTimeout(timer.current)
    timer.current = window.setTimeout(() => setState('idle'), 2500)
  }

  return (
    <div className="copy-field">
      <span className="copy-label">{label}</span>
      <span className="copy-row">
        <code className="copy-value" data-testid={testId}>
          {value}
        </code>
        <button type="button" className="button small-button" onClick={() => void copy()} data-testid={`${testId}-copy`}>
          {state === 'copied' ? t('channels.copied') : t('channels.copy')}
        </button>
      </span>
      {state === 'failed' ? (
        <span className="field-error" role="status">
          {t('channels.copyFailed')}
        </span>
      ) : null}
    </div>
  )
}
