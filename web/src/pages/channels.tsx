import { useEffect, useState } from 'react'
import type { AdminChannel, OpdRef, Session } from '@tanggap/shared'
import { listChannels, listFailedDeliveries, listFlaggedDeliveries, listOpds } from '../api.ts'
import { ChannelCard } from '../components/channel-card.tsx'
import { ChannelForm, type ChannelPreset } from '../components/channel-form.tsx'
import { FailedDeliveries } from '../components/failed-deliveries.tsx'
import { FlaggedDeliveries } from '../components/flagged-deliveries.tsx'
import { InboxHeader } from '../components/inbox-header.tsx'
import { LoadError } from '../components/load-error.tsx'
import { useI18n } from '../i18n.ts'
import { Link, useTitle } from '../router.tsx'
import { useLoaded } from '../use-loaded.ts'

type Editing = { mode: 'create'; preset?: ChannelPreset; nonce: number } | { mode: 'edit'; id: number } | null

/** /pengaturan/kanal — the superadmin's channel settings; other roles see that they may not. */
export function ChannelsPage({ session }: { session: Session }) {
  const { t } = useI18n()
  useTitle(`${t('channels.title')} · ${t('app.name')}`)
  if (session.user.role !== 'superadmin') {
    return (
      <div className="settings-page">
        <InboxHeader session={session} current="channels" />
        <main className="settings-main">
          <section className="card" role="alert" data-testid="not-allowed">
            <h1>{t('channels.notAllowedTitle')}</h1>
            <p>{t('channels.notAllowed')}</p>
            <p>
              <Link to="/kotak-masuk">{t('channels.backToInbox')}</Link>
            </p>
          </section>
        </main>
      </div>
    )
  }
  return <ChannelSettings session={session} />
}

function ChannelSettings({ session }: { session: Session }) {
  const { t } = useI18n()
  const { data: channels, setData: setChannels, error: loadError, reload: loadChannels } = useLoaded(listChannels)
  const { data: flagged, error: flaggedError, reload: loadFlagged } = useLoaded(listFlaggedDeliveries)
  const { data: failed, error: failedError, reload: loadFailed } = useLoaded(listFailedDeliveries)
  const [opds, setOpds] = useState<OpdRef[] | null>(null)
  const [editing, setEditing] = useState<Editing>(null)
  const [notice, setNotice] = useState<string | null>(null)

  useEffect(() => {
    listOpds().then(setOpds, () => setOpds([]))
  }, [])

  function saved(channel: AdminChannel) {
    setChannels((list) => {
      const rest = (list ?? []).filter((c) => c.id !== channel.id)
      return [...rest, channel].sort((a, b) => a.id - b.id)
    })
    setEditing(null)
    setNotice(t('channels.form.saved', { name: channel.name }))
    void loadFlagged()
  }

  function startCreate(preset?: ChannelPreset) {
    setNotice(null)
    setEditing({ mode: 'create', preset, nonce: Date.now() })
    window.scrollTo(0, 0)
  }

  return (
    <div className="settings-page">
      <InboxHeader session={session} current="channels" />
      <main className="settings-main" data-testid="channels-page">
        <div className="settings-title">
          <h1>{t('channels.title')}</h1>
          {editing?.mode !== 'create' ? (
            <button type="button" className="button primary" onClick={() => startCreate()} data-testid="channel-add">
              + {t('channels.add')}
            </button>
          ) : null}
        </div>
        <p className="muted">{t('channels.intro')}</p>
        {notice ? (
          <p className="alert alert-ok" role="status" data-testid="channels-notice">
            {notice}
          </p>
        ) : null}
        {editing?.mode === 'create' ? (
          <div className="card">
            <ChannelForm key={editing.nonce} preset={editing.preset} opds={opds} onSaved={saved} onCancel={() => setEditing(null)} />
          </div>
        ) : null}

        {loadError ? (
          <LoadError className="card" error={loadError} onRetry={() => void loadChannels()} />
        ) : channels === null ? (
          <p role="status">{t('common.loading')}</p>
        ) : channels.length === 0 ? (
          <p className="muted">{t('channels.empty')}</p>
        ) : (
          <ul className="channel-list" data-testid="channel-list">
            {channels.map((c) => (
              <li key={c.id}>
                {editing?.mode === 'edit' && editing.id === c.id ? (
                  <div className="channel-card is-editing">
                    <ChannelForm channel={c} opds={opds} onSaved={saved} onCancel={() => setEditing(null)} />
                  </div>
                ) : (
                  <ChannelCard
                    channel={c}
                    onEdit={() => {
                      setNotice(null)
                      setEditing({ mode: 'edit', id: c.id })
                    }}
                    onTested={() => void loadChannels()}
                  />
                )}
              </li>
            ))}
          </ul>
        )}

        <FlaggedDeliveries list={flagged} error={flaggedError} onRetry={() => void loadFlagged()} onAdd={startCreate} />
        <FailedDeliveries list={failed} error={failedError} onReload={() => void loadFailed()} />
      </main>
    </div>
  )
}
