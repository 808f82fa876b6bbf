import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Two cores: more files at once only adds contention (and argon2 and Chromium are heavy).
    maxWorkers: 2,
  },
})
