// Spaces out calls per key (a platform account) to a steady rate, within this process.
export function createRateLimiter(clock: () => number = Date.now) {
  const nextFree = new Map<string, number>()
  return {
    /** Resolves when a call for this key may go, reserving its slot. */
    async take(key: string, perSecond: number): Promise<void> {
      const now = clock()
      const slot = Math.max(now, nextFree.get(key) ?? 0)
      nextFree.set(key, slot + 1000 / perSecond)
      if (slot > now) await new Promise((r) => setTimeout(r, slot - now))
    },
  }
}

export type RateLimiter = ReturnType<typeof createRateLimiter>
