import { PLATFORMS } from '@tanggap/shared'
import type { Translate } from '../i18n.ts'

export interface Choice {
  value: string | number
  label: string
}

/** The <option>s of a select: an optional first one with the empty value ("all", "choose…"), then the choices. */
export function Options({ empty, choices }: { empty?: string; choices: readonly Choice[] }) {
  return (
    <>
      {empty !== undefined ? <option value="">{empty}</option> : null}
      {choices.map((c) => (
        <option key={c.value} value={c.value}>
          {c.label}
        </option>
      ))}
    </>
  )
}

/** Every platform under its display name. */
export const platformChoices = (t: Translate): Choice[] => PLATFORMS.map((p) => ({ value: p, label: t(`platform.${p}`) }))

/** OPDs by their full name. */
export const opdChoices = (opds: readonly { id: number; name: string }[]): Choice[] => opds.map((o) => ({ value: o.id, label: o.name }))
