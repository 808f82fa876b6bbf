// A website answer is published on the citizen's status page, which reads it from our own
// database: sending is recording it as delivered.
import type { Sender } from '../types.ts'

export const sendWebsite: Sender = async (req) => ({ externalId: `answer:${req.replyId}` })
