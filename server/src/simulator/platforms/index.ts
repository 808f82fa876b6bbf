// Each platform's fake API and delivery maker, collected for the simulator and the tests.
import type { Platform } from '@tanggap/shared'
import type { DeliveryMaker, PlatformApi, PolledMaker } from '../types.ts'
import { facebookApi, facebookMaker } from './facebook.ts'
import { instagramApi, instagramMaker } from './instagram.ts'
import { telegramApi, telegramMaker } from './telegram.ts'
import { tiktokApi, tiktokMaker } from './tiktok.ts'
import { whatsappApi, whatsappMaker } from './whatsapp.ts'
import { xApi, xMaker } from './x.ts'
import { youtubeApi, youtubeMaker } from './youtube.ts'

const defined = <T>(entries: [Platform, T | undefined][]): Partial<Record<Platform, T>> => Object.fromEntries(entries.filter(([, v]) => v !== undefined))

export const FAKE_APIS = defined<PlatformApi>([
  ['facebook', facebookApi],
  ['instagram', instagramApi],
  ['whatsapp', whatsappApi],
  ['telegram', telegramApi],
  ['x', xApi],
  ['tiktok', tiktokApi],
  ['youtube', youtubeApi],
])

export const DELIVERY_MAKERS = defined<DeliveryMaker | PolledMaker>([
  ['facebook', facebookMaker],
  ['instagram', instagramMaker],
  ['whatsapp', whatsappMaker],
  ['telegram', telegramMaker],
  ['x', xMaker],
  ['tiktok', tiktokMaker],
  ['youtube', youtubeMaker],
])
