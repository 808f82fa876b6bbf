import type { ReactNode } from 'react'
import { useI18n } from '../i18n.ts'
import { Link } from '../router.tsx'
import { LangToggle } from './lang-toggle.tsx'

/** The frame of the citizen pages (/tanya, /lacak) and the sign-in page. */
export function PublicLayout({ children }: { children: ReactNode }) {
  const { t } = useI18n()
  return (
    <div className="public">
      <header className="public-header">
        <Link to="/tanya" className="brand">
          <span className="brand-name">{t('app.name')}</span>
          <span className="brand-tagline">{t('app.tagline')}</span>
        </Link>
        <LangToggle />
      </header>
      <main className="public-main">{children}</main>
    </div>
  )
}
