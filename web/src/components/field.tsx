import type { ChangeEvent, ReactNode } from 'react'

/** A form control under its label; the control, its hints and its error message come as children. */
export function Field({ label, invalid = false, children }: { label: ReactNode; invalid?: boolean; children: ReactNode }) {
  return (
    // biome-ignore lint/a11y/noLabelWithoutControl: the control comes as children (an input, select or textarea)
    <label className={invalid ? 'field invalid' : 'field'}>
      <span className="field-label">{label}</span>
      {children}
    </label>
  )
}

type TextControl = HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement

/** value and onChange of an input, textarea or select that edits a string state. */
export const bindValue = (value: string, set: (next: string) => void) => ({
  value,
  onChange: (e: ChangeEvent<TextControl>) => set(e.target.value),
})
