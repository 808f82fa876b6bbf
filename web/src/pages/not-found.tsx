import { PublicLayout } from '../components/public-layout.tsx'
import { useI18n } from '../i18n.ts'
import { Link, useTitle } from '../router.tsx'

export function NotFoundPage() {
  const { t } = useI18n()
  useTitle(`${t('notFound.title')} · ${t('app.name')}`)
  return (
    <PublicLayout>
      <section className="card" data-testid="page-not-found">
        <h1>{t('notFound.title')}</h1>
        <p>{t('notFound.body')}</p>
        <p>
          <Link to="/">{t('notFound.home')}</Link>
        </p>
      </section>
    </PublicLayout>
  )
}
