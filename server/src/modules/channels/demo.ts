// Demo channels (db/src/seed.ts) carry made-up secrets, so they must never call a real platform.
// They talk to the platform simulator when one is configured (SIMULATOR_URL, or a platform's own
// *_API_URL, points away from the real API) and stay idle otherwise: no polling, no lookups, no
// connection test, and replies fail on the item with DEMO_NOT_CONNECTED.
import { DEMO_SETTING } from '@tanggap/db/seed'
import type { Platform } from '@tanggap/shared'
import { PLATFORM_API_DEFAULTS, type Config } from '../../config.ts'

export const DEMO_NOT_CONNECTED = 'Demo channel is not connected to the platform: start the simulator (npm run simulate) and set SIMULATOR_URL'

type Channel = { platform: Platform; settings: Record<string, string> }

export const isDemo = (channel: Channel): boolean => channel.settings[DEMO_SETTING] === 'true'

/** A demo channel whose platform API is the real one: it calls nothing. */
export const isIdleDemo = (channel: Channel, platformApi: Config['platformApi']): boolean =>
  isDemo(channel) && platformApi[channel.platform] === PLATFORM_API_DEFAULTS[channel.platform]
