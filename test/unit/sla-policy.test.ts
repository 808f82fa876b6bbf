import { describe, expect, it } from 'vitest'
import { choosePolicy, type Policy } from '../../server/src/modules/sla/policy.ts'

const policy = (id: number, position: number, conditions: Policy['conditions'], active = true): Policy => ({
  id,
  name: `p${id}`,
  position,
  conditions,
  calendarId: 1,
  firstResponseSeconds: 60,
  nextResponseSeconds: 60,
  resolutionSeconds: null,
  warnRatio: 0.75,
  pauseWhileWaiting: false,
  active,
})

describe('choosing a policy', () => {
  const policies = [
    policy(5, 50, {}),
    policy(2, 20, { kinds: ['dm'] }),
    policy(1, 10, { opdIds: [30], kinds: ['dm', 'comment'] }),
    policy(3, 30, { platforms: ['whatsapp'], priorities: ['urgent'] }),
    policy(4, 5, { kinds: ['form'] }, false),
  ]
  it('takes the first match by position, with every condition required', () => {
    expect(choosePolicy(policies, { platform: 'instagram', kind: 'dm', opdId: 30, priority: 'normal' })?.id).toBe(1)
    expect(choosePolicy(policies, { platform: 'whatsapp', kind: 'dm', opdId: 7, priority: 'urgent' })?.id).toBe(2)
    expect(choosePolicy(policies, { platform: 'whatsapp', kind: 'mention', opdId: 7, priority: 'urgent' })?.id).toBe(3)
  })
  it('skips inactive policies and falls back to the default', () => {
    expect(choosePolicy(policies, { platform: 'website', kind: 'form', opdId: 7, priority: 'normal' })?.id).toBe(5)
    expect(choosePolicy([], { platform: 'website', kind: 'form', opdId: 7, priority: 'normal' })).toBeUndefined()
  })
})
