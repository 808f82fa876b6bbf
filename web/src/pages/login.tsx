import { useEffect, useState, type FormEvent } from 'react'
import { ApiError, login } from '../api.ts'
import { ErrorAlert } from '../components/error-alert.tsx'
import { bindValue, Field } from '../components/field.tsx'
import { PublicLayout } from '../components/public-layout.tsx'
import { errorText } from '../errors.ts'
import { useI18n } from '../i18n.ts'
import { Link, navigate, useTitle } from '../router.tsx'
import { setSession, useSession } from '../session.ts'

export function LoginPage() {
  const { t } = useI18n()
  const { session } = useSession()
  const [username, setUsername] = useState('')
  const [password, setPassword] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  useTitle(`${t('login.title')} · ${t('app.name')}`)

  useEffect(() => {
    if (session && session !== 'unknown') navigate('/kotak-masuk', { replace: true })
  }, [session])

  async function submit(e: FormEvent) {
    e.preventDefault()
    if (busy) return
    setBusy(true)
    setError(null)
    try {
      const s = await login({ username: username.trim(), password })
      setSession(s)
      navigate('/kotak-masuk', { replace: true })
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) setError(t('login.invalid'))
      else if (err instanceof ApiError && err.status === 429) setError(t('login.rateLimited'))
      else setError(errorText(err, t))
      setBusy(false)
    }
  }

  return (
    <PublicLayout>
      <form className="card form login-form" onSubmit={submit} noValidate>
        <h1>{t('login.title')}</h1>
        <p className="muted">{t('login.intro')}</p>
        <ErrorAlert message={error} testId="login-error" />
        <Field label={t('login.username')}>
          <input
            name="username"
            autoComplete="username"
            autoCapitalize="none"
            spellCheck={false}
            required
            maxLength={64}
            {...bindValue(username, setUsername)}
            data-testid="login-username"
          />
        </Field>
        <Field label={t('login.password')}>
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            required
            maxLength={256}
            {...bindValue(password, setPassword)}
            data-testid="login-password"
          />
        </Field>
        <button type="submit" className="button primary" disabled={busy || !username.trim() || !password} data-testid="login-submit">
          {busy ? t('login.submitting') : t('login.submit')}
        </button>
        <p className="muted small">
          {t('login.publicLinks')} <Link to="/tanya">{t('ask.title')}</Link> · <Link to="/lacak">{t('track.title')}</Link>
        </p>
      </form>
    </PublicLayout>
  )
}
