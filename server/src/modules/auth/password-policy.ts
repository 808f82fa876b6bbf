// The one strength check for every new password (the users CLI today, any screen later): long
// enough, and not easy to guess by zxcvbn's estimate, which counts common passwords, keyboard
// runs, repeats, sequences, dates and the user's own names as easy. Its dictionaries (2 MB) are
// loaded on first use, so processes that never set a password do not hold them.
import { LIMITS } from '@tanggap/shared'
import { AppError } from '../../lib/errors.ts'

export const MIN_PASSWORD_LENGTH = 10
/** zxcvbn's score of 0–4; 3 means about 10^8 guesses or more. */
const MIN_SCORE = 3

// What anyone guessing here would try first: the product, the government's own words and
// Indonesian favourites the common (mostly English) lists lack.
const LOCAL_WORDS = [
  'tanggap',
  'pemkab',
  'pemkot',
  'pemda',
  'kabupaten',
  'kota',
  'diskominfo',
  'kominfo',
  'prokompim',
  'humas',
  'admin',
  'medsos',
  'rahasia',
  'katasandi',
  'sandi',
  'indonesia',
  'merdeka',
  'garuda',
  'pancasila',
  'bismillah',
  'sayang',
  'cinta',
  'jakarta',
]

type Estimate = (password: string, userInputs: string[]) => { score: number }
let estimator: Promise<Estimate> | undefined

async function loadEstimator(): Promise<Estimate> {
  const [{ zxcvbn, zxcvbnOptions }, common] = await Promise.all([import('@zxcvbn-ts/core'), import('@zxcvbn-ts/language-common')])
  zxcvbnOptions.setOptions({
    graphs: common.adjacencyGraphs,
    dictionary: { ...common.dictionary, local: LOCAL_WORDS },
    useLevenshteinDistance: true,
    maxLength: LIMITS.password,
  })
  return zxcvbn
}

/** Refuses a password that is too short, too long or easy to guess (422 WEAK_PASSWORD, in Indonesian and English). */
export async function checkNewPassword(password: string, userInputs: string[]): Promise<void> {
  const refuse = (message: string) => new AppError('WEAK_PASSWORD', message, ['password'])
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw refuse(`Kata sandi minimal ${MIN_PASSWORD_LENGTH} karakter (the password must have at least ${MIN_PASSWORD_LENGTH} characters)`)
  }
  if (password.length > LIMITS.password)
    throw refuse(`Kata sandi maksimal ${LIMITS.password} karakter (the password may have at most ${LIMITS.password} characters)`)
  const estimate = await (estimator ??= loadEstimator())
  // The user's names count as guessable: whole, run together and word by word.
  const inputs = userInputs.flatMap((s) => [s, s.replace(/[^\p{L}\p{N}]+/gu, ''), ...s.split(/[^\p{L}\p{N}]+/u)]).filter((s) => s.length >= 3)
  if (estimate(password, inputs).score < MIN_SCORE) {
    throw refuse(
      'Kata sandi terlalu mudah ditebak: hindari kata sandi umum, urutan (1234, qwerty), huruf berulang dan nama sendiri; pakai beberapa kata acak ' +
        '(the password is too easy to guess: avoid common passwords, sequences, repeated characters and your own name; use a few random words)',
    )
  }
}
