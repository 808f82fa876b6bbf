// Which time of a message the response clock runs on. The platform's own time comes first
// (design.md), but a time in the future — a wrong phone clock, a broken field — would start a clock
// that cannot have started yet and keep the item ahead of all others in the inbox.

/** How far past receipt a platform's time is still believed: clocks of platforms and servers drift. */
export const FUTURE_TOLERANCE_MS = 5 * 60_000

/** The platform's time, or the receipt time when the platform's lies further in the future than the tolerance. */
export const clockTime = (sentAt: number, receivedAt: number): number => (sentAt > receivedAt + FUTURE_TOLERANCE_MS ? receivedAt : sentAt)
