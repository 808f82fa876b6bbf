// A website question as stored: the JSON the form posted, kept verbatim. The door reads it with
// this before answering 201, and the job reads it with this to make the item, so a question that
// was accepted is one that processes. (A leading byte-order mark, which Fastify's parser skips and
// JSON.parse refuses, once made accepted questions fail in the job and vanish.)
import { createHash } from 'node:crypto'
import { Compile } from 'typebox/compile'
import { PublicQuestionBody, topicByCode } from '@tanggap/shared'
import { withoutBom } from '../read.ts'

/** The question as the inbox keeps it: trimmed, with absent or blank optional fields as null. */
export interface WebsiteQuestion {
  name: string
  contact: string | null
  text: string
  topic: string | null
  opdCode: string | null
}

/** A body that is not a question we can process; `fields` name what is wrong. */
export class InvalidQuestion extends Error {
  constructor(
    message: string,
    readonly fields: string[],
  ) {
    super(message)
    this.name = 'InvalidQuestion'
  }
}

const MIN_TEXT = 5
const validator = Compile(PublicQuestionBody)

/** Parses and checks a website question's body (the schema the route declares, then what a schema cannot say). */
export function readWebsiteQuestion(raw: Buffer): WebsiteQuestion {
  let body: unknown
  try {
    body = JSON.parse(withoutBom(raw.toString('utf8')))
  } catch {
    throw new InvalidQuestion('Website question is not valid JSON', ['body'])
  }
  if (!validator.Check(body)) {
    const fields = [...new Set(validator.Errors(body).map((e) => e.instancePath.replace(/^\//, '').replace(/\//g, '.') || 'body'))]
    throw new InvalidQuestion(`Invalid ${fields.join(', ')}`, fields)
  }
  const name = body.name.trim()
  const text = body.text.trim()
  const bad: string[] = []
  if (!name) bad.push('name')
  if (text.length < MIN_TEXT) bad.push('text')
  if (body.topic && !topicByCode(body.topic)) bad.push('topic')
  if (bad.length) throw new InvalidQuestion(`Invalid ${bad.join(', ')}`, bad)
  return { name, contact: body.contact?.trim() || null, text, topic: body.topic || null, opdCode: body.opdCode || null }
}

/**
 * Identifies a question by what it asks, not by its bytes: the same question sent again with other
 * spacing, key order or escapes hashes the same (an Idempotency-Key is bound to it).
 */
export const questionHash = (q: WebsiteQuestion): string =>
  createHash('sha256')
    .update(JSON.stringify([q.name, q.contact, q.text, q.topic, q.opdCode]))
    .digest('hex')
