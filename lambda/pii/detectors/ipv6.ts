import type { Finding } from '../types';
import { codeAt, isDigit, isHex, isWordChar } from './chars';
import { isSpecialIpv6 } from './special-addresses';

/**
 * IPv6 addresses: eight groups, or fewer with one `::` (`2606:4700:4700::1111`, `fd12:3456::42`,
 * `::ffff:10.20.30.40`). What code is full of is not: `std::vector` and `Foo::bar` are glued to a word;
 * `12:30:45` and MAC addresses have the wrong number of groups; `dead::beef`, `a::b` and slices like
 * `1::2` are too short or have no digit to be worth reporting; `::1`, `fe80::1` and `2001:db8::` are
 * special-purpose (special-addresses.ts).
 */

const MAX_ADDRESS = 45;

function isAddressChar(code: number): boolean {
  return isHex(code) || code === 58 || code === 46;
}

function isDottedQuad(value: string): boolean {
  const parts = value.split('.');
  return parts.length === 4 && parts.every((part) => /^(?:0|[1-9]\d{0,2})$/.test(part) && Number(part) <= 255);
}

/** Number of 16-bit groups `part` (between `::`) holds, or -1 when it is malformed. */
function groupsIn(part: string, last: boolean): number {
  if (part === '') return 0;
  const groups = part.split(':');
  let count = 0;
  for (let i = 0; i < groups.length; i += 1) {
    const group = groups[i] ?? '';
    if (last && i === groups.length - 1 && group.includes('.')) {
      if (!isDottedQuad(group)) return -1;
      count += 2;
    } else if (!/^[0-9a-fA-F]{1,4}$/.test(group)) {
      return -1;
    } else {
      count += 1;
    }
  }
  return count;
}

function hasDigit(value: string): boolean {
  for (let i = 0; i < value.length; i += 1) if (isDigit(value.charCodeAt(i))) return true;
  return false;
}

/** The 16-bit groups of a valid `part` (between `::`), a trailing dotted quad as two. */
function groupValues(part: string): number[] {
  if (part === '') return [];
  return part.split(':').flatMap((group) => {
    if (!group.includes('.')) return [Number.parseInt(group, 16)];
    const [a = 0, b = 0, c = 0, d = 0] = group.split('.').map(Number);
    return [(a << 8) | b, (c << 8) | d];
  });
}

/** Whether `value` has the shape of an IPv6 address worth reporting (special or not). */
function isAddressShaped(value: string, left: string, right: string | undefined): boolean {
  const leftGroups = groupsIn(left, right === undefined);
  const rightGroups = right === undefined ? 0 : groupsIn(right, true);
  if (leftGroups < 0 || rightGroups < 0) return false;
  const total = leftGroups + rightGroups;
  if (right === undefined) return total === 8;
  if (total > 7 || total < 2 || !hasDigit(value)) return false;
  return total > 2 || value.includes('.') || value.split(/:+/).some((group) => group.length >= 3);
}

/** Whether `value` is an IPv6 address worth reporting: well formed, and not special-purpose. */
function isReportableIpv6(value: string): boolean {
  const halves = value.split('::');
  if (halves.length > 2) return false;
  const left = halves[0] ?? '';
  const right = halves[1];
  if (!isAddressShaped(value, left, right)) return false;
  const head = groupValues(left);
  const tail = right === undefined ? [] : groupValues(right);
  return !isSpecialIpv6([...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail]);
}

/**
 * Whether `text[start, end)` has the colons of an address: a `::`, or those of eight groups (seven; six
 * when the last two are written as a dotted quad, `1:2:3:4:5:6:192.0.2.1`).
 * Read in place before anything is sliced or split: the colons this dismisses are times (`14:20`,
 * `11:39:52.331Z`) and MAC addresses, the commonest hex-glued colons in prompts, which would otherwise
 * each cost a slice, two splits and a regex per group.
 */
function hasAddressColons(text: string, start: number, end: number): boolean {
  let colons = 0;
  for (let index = start; index < end; index += 1) {
    if (text.charCodeAt(index) !== 58) continue;
    if (text.charCodeAt(index + 1) === 58) return true;
    colons += 1;
  }
  return colons === 7 || colons === 6;
}

function trimEnd(text: string, start: number, end: number): number {
  let index = end;
  // A sentence's full stop, or a single trailing colon (`fe80::1: unreachable`), is not part of it.
  while (index > start && codeAt(text, index - 1) === 46) index -= 1;
  if (codeAt(text, index - 1) === 58 && codeAt(text, index - 2) !== 58) index -= 1;
  return index;
}

/** A colon that can be inside an address: `::`, or between two hex digits. */
export function couldBeInAddress(text: string, at: number): boolean {
  // charCodeAt itself, `| 0` as in codeAt: this runs inside the operator walk for every colon, where the
  // walk's inlining budget is spent and a call to codeAt would stay a call.
  const after = text.charCodeAt(at + 1) | 0;
  return after === 58 || (isHex(after) && isHex(text.charCodeAt(at - 1) | 0));
}

/**
 * Reports the address around the colon at `at`, which couldBeInAddress accepted, if there is one; returns
 * where to resume. Colons are found by the operator walk (operators.ts), shared with secret assignments.
 */
export function visitColon(text: string, at: number, out: Finding[]): number {
  // Written out rather than through scanBackward and scanForward: this runs for every colon between hex
  // digits (times, object literals), and their shared callback would be a call per character.
  let start = at;
  const stop = Math.max(0, at - MAX_ADDRESS);
  while (start > stop && isAddressChar(text.charCodeAt(start - 1))) start -= 1;
  let end = at;
  const limit = Math.min(text.length, at + MAX_ADDRESS);
  while (end < limit && isAddressChar(text.charCodeAt(end))) end += 1;
  while (start < at && codeAt(text, start) === 46) start += 1;
  const trimmed = trimEnd(text, start, end);
  if (isWordChar(codeAt(text, start - 1)) || isWordChar(codeAt(text, end)) || trimmed <= start) return end;
  // A single leading colon belongs to what comes before (`host:fe80::1` does not start an address).
  if (codeAt(text, start) === 58 && codeAt(text, start + 1) !== 58) return end;
  if (hasAddressColons(text, start, trimmed) && isReportableIpv6(text.slice(start, trimmed))) out.push({ type: 'ip_address', start, end: trimmed });
  return end;
}
