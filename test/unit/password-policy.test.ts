// The strength check every new password passes: long enough and not easy to guess.
import { describe, expect, it } from 'vitest'
import { checkNewPassword } from '../../server/src/modules/auth/password-policy.ts'

const refusal = (password: string, userInputs: string[] = []) =>
  checkNewPassword(password, userInputs).then(
    () => null,
    (err: { code: string; message: string; fields?: string[] }) => ({ code: err.code, message: err.message, fields: err.fields }),
  )

describe('password policy', () => {
  it.each(['1234567890', 'aaaaaaaaaa', 'password12', 'qwertyuiop', 'rahasia12345', 'indonesia123', 'bismillah123', 'merdeka17081945', 'diskominfo2026'])(
    'refuses %s as easy to guess, saying so in Indonesian and English',
    async (password) => {
      expect(await refusal(password)).toEqual({
        code: 'WEAK_PASSWORD',
        message: expect.stringMatching(/^Kata sandi terlalu mudah ditebak.*\(the password is too easy to guess/),
        fields: ['password'],
      })
    },
  )

  it("refuses the user's own name with a few digits", async () => {
    expect(await refusal('admintegal2025', ['admin.tegal', 'Admin Kabupaten'])).toMatchObject({ code: 'WEAK_PASSWORD' })
    expect(await refusal('SitiAminah2024', ['siti.aminah', 'Siti Aminah'])).toMatchObject({ code: 'WEAK_PASSWORD' })
    // The same password is fine for someone else.
    expect(await refusal('SitiAminah2024', ['budi.santoso', 'Budi Santoso'])).toBeNull()
  })

  it('refuses a password shorter than 10 or longer than 256 characters', async () => {
    expect(await refusal('Kx7#qP2!')).toMatchObject({ code: 'WEAK_PASSWORD', message: expect.stringContaining('at least 10 characters') })
    expect(await refusal('kopi-tubruk-'.repeat(22))).toMatchObject({ code: 'WEAK_PASSWORD', message: expect.stringContaining('at most 256 characters') })
  })

  it('accepts a few random words, or a long mix', async () => {
    for (const password of ['kopi-tubruk-pagi-hari', 'sangat-rahasia-123', 'Kabupaten-Tegal-2025', 'j8#Lq2!vRt9z'])
      expect(await refusal(password, ['admin.tegal'])).toBeNull()
  })
})
