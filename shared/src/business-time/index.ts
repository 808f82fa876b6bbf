export * from './calendar.ts'
export * from './holidays-id.ts'
export * from './working-time.ts'
