// Routes. Paths are Bahasa Indonesia: /masuk, /kotak-masuk[/:id], /papan, /pengaturan/kanal, /tanya, /lacak[/:code].
import { useEffect, type ReactNode } from 'react'
import type { Session } from '@tanggap/shared'
import { LoadError } from './components/load-error.tsx'
import { PublicLayout } from './components/public-layout.tsx'
import { useI18n } from './i18n.ts'
import { AskPage } from './pages/ask.tsx'
import { BoardPage } from './pages/board.tsx'
import { ChannelsPage } from './pages/channels.tsx'
import { InboxPage } from './pages/inbox.tsx'
import { LoginPage } from './pages/login.tsx'
import { NotFoundPage } from './pages/not-found.tsx'
import { TrackPage } from './pages/track.tsx'
import { matchPath, navigate, usePath } from './router.tsx'
import { reloadSession, useSession } from './session.ts'

export function App() {
  const path = usePath()

  if (path === '/') return <RootRedirect />
  if (matchPath('/masuk', path)) return <LoginPage />
  if (matchPath('/tanya', path)) return <AskPage />

  const track = matchPath('/lacak', path) ?? matchPath('/lacak/:code', path)
  if (track) return <TrackPage code={track.code?.trim() || null} />

  const inbox = matchPath('/kotak-masuk', path) ?? matchPath('/kotak-masuk/:id', path)
  if (inbox) {
    const id = inbox.id === undefined ? null : Number(inbox.id)
    if (id !== null && !(Number.isInteger(id) && id > 0)) return <NotFoundPage />
    return <RequireSession>{(session) => <InboxPage session={session} itemId={id} />}</RequireSession>
  }
  if (matchPath('/papan', path)) return <RequireSession>{(session) => <BoardPage session={session} />}</RequireSession>
  if (matchPath('/pengaturan/kanal', path)) return <RequireSession>{(session) => <ChannelsPage session={session} />}</RequireSession>
  return <NotFoundPage />
}

function RootRedirect() {
  const { session } = useSession()
  useEffect(() => {
    if (session !== 'unknown') navigate(session ? '/kotak-masuk' : '/masuk', { replace: true })
  }, [session])
  return <Loading />
}

/** Renders its children with the session, or sends the visitor to /masuk. */
function RequireSession({ children }: { children(session: Session): ReactNode }) {
  const { session, error } = useSession()
  useEffect(() => {
    if (session === null) navigate('/masuk', { replace: true })
  }, [session])
  if (session === 'unknown' && error)
    return (
      <PublicLayout>
        <LoadError className="card" error={error} onRetry={() => void reloadSession()} />
      </PublicLayout>
    )
  if (session === 'unknown' || session === null) return <Loading />
  return <>{children(session)}</>
}

function Loading() {
  const { t } = useI18n()
  return (
    <div className="page-loading" role="status">
      {t('common.loading')}
    </div>
  )
}
