// argon2id with the library's defaults (m=64 MiB, t=3, p=4), above OWASP's minimum.
import argon2 from 'argon2'

export const hashPassword = (plain: string): Promise<string> => argon2.hash(plain, { type: argon2.argon2id })

export async function verifyPassword(hash: string, plain: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, plain)
  } catch {
    return false
  }
}

// Verified against when the username is unknown, so a wrong name costs as long as a wrong password.
let dummy: Promise<string> | undefined
export const dummyHash = () => (dummy ??= hashPassword('not-a-real-password'))
