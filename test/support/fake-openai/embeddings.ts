import type { Scenario } from './scenario';
import { FAKE_EMBEDDING_DIMENSIONS, badRequest, type ErrorReply } from './wire';
import type { JsonObject } from './json';

const MAX_DIMENSIONS = 8192;

type EmbeddingInput = string | readonly number[];

/** FNV-1a over UTF-16 code units: a cheap, stable seed per input. */
function hash(text: string): number {
  let value = 0x811c9dc5;
  for (let index = 0; index < text.length; index += 1) {
    value ^= text.charCodeAt(index);
    value = Math.imul(value, 0x01000193);
  }
  return value >>> 0;
}

/**
 * The deterministic unit-length vector the fake returns for one input (a token array is keyed by its
 * comma-joined ids). Values are float32, so the float and base64 encodings decode to identical numbers.
 */
export function fakeEmbedding(input: EmbeddingInput, dimensions: number = FAKE_EMBEDDING_DIMENSIONS): Float32Array {
  let state = hash(typeof input === 'string' ? input : input.join(',')) || 1;
  const raw = new Float64Array(dimensions);
  let sumOfSquares = 0;
  for (let index = 0; index < dimensions; index += 1) {
    // xorshift32
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    const value = (state >>> 0) / 0xffffffff - 0.5;
    raw[index] = value;
    sumOfSquares += value * value;
  }
  const norm = Math.sqrt(sumOfSquares) || 1;
  const vector = new Float32Array(dimensions);
  for (let index = 0; index < dimensions; index += 1) vector[index] = (raw[index] ?? 0) / norm;
  return vector;
}

function base64Of(vector: Float32Array): string {
  const bytes = Buffer.allocUnsafe(vector.length * 4);
  for (let index = 0; index < vector.length; index += 1) bytes.writeFloatLE(vector[index] ?? 0, index * 4);
  return bytes.toString('base64');
}

function isTokenArray(value: unknown): value is number[] {
  return Array.isArray(value) && value.length > 0 && value.every((item) => typeof item === 'number');
}

/** `input` as a list of items, or undefined when it is not one of the accepted shapes. */
function inputsOf(input: unknown): EmbeddingInput[] | undefined {
  if (typeof input === 'string') return [input];
  if (isTokenArray(input)) return [input];
  if (!Array.isArray(input) || input.length === 0) return undefined;
  const items: EmbeddingInput[] = [];
  for (const item of input) {
    if (typeof item === 'string' || isTokenArray(item)) items.push(item);
    else return undefined;
  }
  return items;
}

/** Rough token count: a quarter of the characters (at least 1), or the length of a token array. */
function tokenCount(input: EmbeddingInput): number {
  return typeof input === 'string' ? Math.max(1, Math.ceil(input.length / 4)) : input.length;
}

/** The `/v1/embeddings` answer body, or the 400 a real API would give for a malformed request. */
export function embeddingsJson(body: JsonObject, model: string, scenario: Scenario): { body: string } | { error: ErrorReply } {
  const inputs = inputsOf(body['input']);
  if (inputs === undefined) return { error: badRequest("'input' must be a non-empty string, array of strings or array of token arrays.", 'input') };
  const requestedDimensions = body['dimensions'];
  let dimensions = FAKE_EMBEDDING_DIMENSIONS;
  if (requestedDimensions !== undefined) {
    if (typeof requestedDimensions !== 'number' || !Number.isInteger(requestedDimensions) || requestedDimensions < 1 || requestedDimensions > MAX_DIMENSIONS) {
      return { error: badRequest(`'dimensions' must be an integer between 1 and ${MAX_DIMENSIONS}.`, 'dimensions') };
    }
    dimensions = requestedDimensions;
  }
  const format = body['encoding_format'];
  if (format !== undefined && format !== 'float' && format !== 'base64') {
    return { error: badRequest("'encoding_format' must be 'float' or 'base64'.", 'encoding_format') };
  }
  const base64 = format === 'base64' && scenario.kind !== 'no-base64';
  let tokens = 0;
  const data = inputs.map((input, index) => {
    tokens += tokenCount(input);
    const vector = fakeEmbedding(input, dimensions);
    return { object: 'embedding', index, embedding: base64 ? base64Of(vector) : Array.from(vector) };
  });
  return { body: JSON.stringify({ object: 'list', data, model, usage: { prompt_tokens: tokens, total_tokens: tokens } }) };
}
