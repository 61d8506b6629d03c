import { NUMBER_WINDOWS, TRIGGER_CHARACTERS, Triggers, type TriggerCharacter, type TriggerLists, type TriggerSet } from '../triggers';
import { WORD_ENDINGS } from '../api-keys';
import { TRIGGER_INDEX_WASM } from './trigger-index-wasm';

/**
 * The trigger index (trigger-index.wat) from JavaScript: the text is copied into the module's memory as
 * UTF-16 (Buffer's `utf16le` write is a plain copy of the code units, so an index in the lists is an index
 * in the string), indexed in one pass, and each walk then reads its list instead of searching the text.
 * One module instance serves every scan: a scan is synchronous and reads its lists before the next starts.
 */

/** Layout shared with trigger-index.wat: trigger characters, list addresses and lengths, vendor words' endings, the text. */
const TRIGGERS_AT = 0;
const LISTS_AT = 32;
const WORD_ENDINGS_AT = 128;
const TEXT_AT = 16_512;
const LIST_COUNT = NUMBER_WINDOWS + 1;

/**
 * Below this length, searching costs less than indexing: the copy and the fixed set-up of an index (~0.8 µs)
 * cost more than the few searches a short text needs. Measured on slices of the bench's prompt mix: equal
 * at 32 characters, the index 12 % faster at 64, 30 % at 256, 38 % at 1,024 and more.
 */
export const INDEX_MIN_LENGTH = 64;
/**
 * Above this length (8 Mi code units, a 16 MB text), searching again: the module's memory never shrinks,
 * and an index holds about four bytes per code unit.
 */
const INDEX_MAX_LENGTH = 1 << 23;

/** The module's memory, as much of it as is used here. */
interface IndexMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}

interface IndexExports {
  readonly memory: IndexMemory;
  /** Indexes the text at TEXT_AT; returns the memory's size in pages (the lists may grow it). */
  index(length: number, wanted: number): number;
  bytesBeforeLists(length: number): number;
}

const PAGE_BYTES = 65_536;

/** The lists of the last text indexed; valid until the next is. */
class IndexedTriggers implements TriggerLists {
  entries = new Int32Array(0);
  /** Per list: where it starts, the next entry a walk has not passed, and where it ends (in entries). */
  readonly starts = new Int32Array(LIST_COUNT);
  readonly cursors = new Int32Array(LIST_COUNT);
  readonly ends = new Int32Array(LIST_COUNT);

  next(trigger: TriggerCharacter, from: number): number {
    const at = this.seek(trigger, from);
    return at < (this.ends[trigger] ?? 0) ? (this.entries[at] ?? -1) : -1;
  }

  nextNumberWindowEnd(from: number): number {
    // An entry is start * 2 + (1 for a six-character window): it starts before `from` exactly when it is below from * 2.
    const at = this.seek(NUMBER_WINDOWS, from * 2);
    if (at >= (this.ends[NUMBER_WINDOWS] ?? 0)) return -1;
    const entry = this.entries[at] ?? 0;
    return (entry >> 1) + 5 + (entry & 1);
  }

  /** The first entry of `list` not below `value`. Walks ask with `value` rising, so this is a step or two on from the last answer. */
  private seek(list: number, value: number): number {
    const entries = this.entries;
    const end = this.ends[list] ?? 0;
    let at = this.cursors[list] ?? 0;
    if (at > (this.starts[list] ?? 0) && (entries[at - 1] ?? 0) >= value) at = this.search(list, value, at);
    while (at < end && (entries[at] ?? 0) < value) at += 1;
    this.cursors[list] = at;
    return at;
  }

  /** The first entry of `list` before `below` not less than `value` (a binary search, for a walk that steps back). */
  private search(list: number, value: number, below: number): number {
    let low = this.starts[list] ?? 0;
    let high = below;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((this.entries[middle] ?? 0) < value) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}

class TriggerIndex {
  /** The memory's size in pages as last seen, and views of it: refreshed only when it grows (a grown memory detaches the old buffer). */
  private pages = 0;
  private memoryBytes = Buffer.alloc(0);
  private readonly triggers = new IndexedTriggers();

  constructor(private readonly exports: IndexExports) {
    this.refreshViews();
    TRIGGER_CHARACTERS.forEach((character, k) => this.memoryBytes.writeUInt8(character.charCodeAt(0), TRIGGERS_AT + k));
    this.memoryBytes.set(WORD_ENDINGS, WORD_ENDINGS_AT);
  }

  build(text: string, wanted: TriggerSet): TriggerLists {
    const needed = this.exports.bytesBeforeLists(text.length);
    if (needed > this.pages * PAGE_BYTES) {
      this.exports.memory.grow(Math.ceil(needed / PAGE_BYTES) - this.pages);
      this.refreshViews();
    }
    this.memoryBytes.write(text, TEXT_AT, 'utf16le');
    if (this.exports.index(text.length, wanted) !== this.pages) this.refreshViews();
    const triggers = this.triggers;
    const header = triggers.entries;
    for (let list = 0; list < LIST_COUNT; list += 1) {
      const start = (header[(LISTS_AT >> 2) + list * 2] ?? 0) >> 2;
      triggers.starts[list] = start;
      triggers.cursors[list] = start;
      triggers.ends[list] = start + (header[(LISTS_AT >> 2) + list * 2 + 1] ?? 0);
    }
    return triggers;
  }

  private refreshViews(): void {
    const buffer = this.exports.memory.buffer;
    this.pages = buffer.byteLength / PAGE_BYTES;
    this.memoryBytes = Buffer.from(buffer);
    this.triggers.entries = new Int32Array(buffer);
  }
}

/**
 * The part of the WebAssembly API used here: TypeScript declares the API only in its DOM library, which
 * code for Node and Lambda does not load.
 */
declare const WebAssembly: {
  readonly Module: new (bytes: Uint8Array) => object;
  readonly Instance: new (module: object) => { readonly exports: object };
};

/** undefined: not loaded yet; null: WebAssembly is unavailable here, so every text is searched. */
let sharedIndex: TriggerIndex | null | undefined;

function loadIndex(): TriggerIndex | null {
  if (sharedIndex !== undefined) return sharedIndex;
  try {
    const instance = new WebAssembly.Instance(new WebAssembly.Module(Buffer.from(TRIGGER_INDEX_WASM, 'base64')));
    sharedIndex = new TriggerIndex(instance.exports as unknown as IndexExports);
  } catch {
    // A runtime without WebAssembly (or SIMD) still scans, by searching: the same answers, more slowly.
    sharedIndex = null;
  }
  return sharedIndex;
}

/** `text`'s triggers in `wanted`, indexed whatever its length; undefined where WebAssembly is unavailable. */
export function indexTriggers(text: string, wanted: TriggerSet): Triggers | undefined {
  const lists = loadIndex()?.build(text, wanted);
  return lists === undefined ? undefined : new Triggers(text, lists);
}

/** The triggers of `text` for walks over those in `wanted`: indexed when that is cheaper, else searched. */
export function triggersFor(text: string, wanted: TriggerSet): Triggers {
  if (wanted === 0 || text.length < INDEX_MIN_LENGTH || text.length > INDEX_MAX_LENGTH) return new Triggers(text);
  return indexTriggers(text, wanted) ?? new Triggers(text);
}
