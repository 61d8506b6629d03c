import { createHash } from 'node:crypto';

const VALID_ID = /^[a-zA-Z0-9_-]+$/;

/**
 * A tool-call id Anthropic accepts (`^[a-zA-Z0-9_-]+$`). Other backends produce ids such as
 * `functions.Bash:0`; the same function maps a `tool_use` id and its `tool_result` reference
 * identically, so pairs still match. A valid id is kept as is; an invalid one has its other characters
 * replaced and a short hash of the original appended, so two ids differing only in such characters
 * (`a.b`, `a:b`) stay distinct.
 */
export function sanitizeToolId(id: string): string {
  if (VALID_ID.test(id)) return id;
  const hash = createHash('sha256').update(id).digest('hex').slice(0, 8);
  const readable = id.replace(/[^a-zA-Z0-9_-]/g, '_');
  return `${readable === '' ? 'toolu' : readable}_${hash}`;
}
