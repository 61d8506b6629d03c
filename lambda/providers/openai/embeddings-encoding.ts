/**
 * OpenAI SDKs ask for `encoding_format: "base64"` by default (little-endian float32). Providers that
 * only return floats would leave those SDKs with empty vectors, so for them the gateway requests
 * floats and encodes base64 itself.
 */
function floatsToBase64(values: readonly number[]): string {
  const bytes = Buffer.allocUnsafe(values.length * 4);
  values.forEach((value, index) => bytes.writeFloatLE(value, index * 4));
  return bytes.toString('base64');
}

export function base64ToFloats(encoded: string): number[] {
  const bytes = Buffer.from(encoded, 'base64');
  const values: number[] = [];
  for (let offset = 0; offset + 4 <= bytes.length; offset += 4) values.push(bytes.readFloatLE(offset));
  return values;
}

function isNumberArray(value: unknown): value is number[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'number');
}

/** Rewrites every float embedding of an OpenAI embeddings response as base64, in place. */
export function encodeEmbeddingsAsBase64(response: { data?: unknown }): void {
  if (!Array.isArray(response.data)) return;
  for (const item of response.data as unknown[]) {
    if (typeof item === 'object' && item !== null && 'embedding' in item) {
      const entry = item;
      if (isNumberArray(entry.embedding)) entry.embedding = floatsToBase64(entry.embedding);
    }
  }
}
