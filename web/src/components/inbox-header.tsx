import { useState } from 'react'
import type { Session } from '@tanggap/shared'
import { logout } from '../api.ts'
import { useI18n } from '../i18n.ts'
import type { LiveState } from '../live.ts'
import { Link, navigate } from '../router.tsx'
import { setSession } from '../session.ts'
import { LangToggle } from './lang-toggle.tsx'

const SHOWN_OPDS = 3

interface Props {
  session: Session
  /** The inbox's live connection; pages without one leave it out. */
  live?: LiveState
  /** The page shown, marked in the menu. */
  current?: 'inbox' | 'board' | 'channels'
}

/** Who is signed in (name, role, OPDs), the live connection, the menu, the language toggle and sign-out. */
export function InboxHeader({ session, live, current = 'inbox' }: Props) {
  const { t } = useI18n()
  const [leaving, setLeaving] = useState(false)
  const opds = session.opds
  const shown = opds.slice(0, SHOWN_OPDS)

  async function signOut() {
    setLeaving(true)
    try {
      await logout()
    } catch {
      // The cookie may already be gone; leave anyway.
    }
    setSession(null)
    navigate('/masuk', { replace: true })
  }

  return (
    <header className="inbox-header">
      <div className="inbox-brand">
        <span className="brand-name">{t('app.name')}</span>
        {live ? (
          <span className={`live live-${live}`} data-testid="live-state" data-live={live} title={t(`header.live.${live}`)}>
            <span className="live-dot" aria-hidden="true" />
            <span className="live-text">{t(`header.live.${live}`)}</span>
          </span>
        ) : null}
      </div>
      <nav className="header-nav" aria-label={t('nav.label')}>
        <Link to="/kotak-masuk" aria-current={current === 'inbox' ? 'page' : undefined} data-testid="nav-inbox">
          {t('nav.inbox')}
        </Link>
        <Link to="/papan" aria-current={current === 'board' ? 'page' : undefined} data-testid="nav-board">
          {t('nav.board')}
        </Link>
        {session.user.role === 'superadmin' ? (
          <Link to="/pengaturan/kanal" aria-current={current === 'channels' ? 'page' : undefined} data-testid="nav-channels">
            {t('nav.channels')}
          </Link>
        ) : null}
      </nav>
      <div className="inbox-user">
        <span className="user-name" data-testid="user-name">
          {session.user.displayName}
        </span>
        <span className="user-role">{t(`role.${session.user.role}`)}</span>
        {opds.length > 0 ? (
          <span className="user-opds" title={opds.map((o) => o.name).join(', ')}>
            {shown.map((o) => o.shortName).join(', ')}
            {opds.length > SHOWN_OPDS ? ` ${t('header.opdsMore', { n: opds.length - SHOWN_OPDS })}` : ''}
          </span>
        ) : null}
      </div>
      <div className="inbox-actions">
        <LangToggle />
        <button type="button" className="button" onClick={signOut} disabled={leaving} data-testid="sign-out">
          {t('header.signOut')}
        </button>
      </div>
    </header>
  )
}
