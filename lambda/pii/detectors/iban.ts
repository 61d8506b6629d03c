import type { Finding } from '../types';
import { codeAt, isDigit, isUpper, isWordChar } from './chars';
import { ibanChecksumValid } from './checksums';

/**
 * IBANs: an ISO country code, two check digits and the country's BBAN, exactly the length that country
 * uses, written compact (`DE67760501014871236590`) or in groups of four (`DE67 7605 0101 4871 2365 90`),
 * in capitals, with a valid mod-97 checksum; not the IBAN Registry's examples (EXAMPLE_IBANS).
 */

/** IBAN length per country (the IBAN registry). */
const IBAN_LENGTHS: Readonly<Record<string, number>> = {
  AD: 24, AE: 23, AL: 28, AT: 20, AZ: 28, BA: 20, BE: 16, BG: 22, BH: 22, BI: 27, BR: 29, BY: 28,
  CH: 21, CR: 22, CY: 28, CZ: 24, DE: 22, DJ: 27, DK: 18, DO: 28, EE: 20, EG: 29, ES: 24, FI: 18,
  FK: 18, FO: 18, FR: 27, GB: 22, GE: 22, GI: 23, GL: 18, GR: 27, GT: 28, HR: 21, HU: 28, IE: 22,
  IL: 23, IQ: 23, IS: 26, IT: 27, JO: 30, KW: 30, KZ: 20, LB: 28, LC: 32, LI: 21, LT: 20, LU: 20,
  LV: 21, LY: 25, MC: 27, MD: 24, ME: 22, MK: 19, MN: 20, MR: 27, MT: 31, MU: 30, NI: 28, NL: 18,
  NO: 15, OM: 23, PK: 24, PL: 28, PS: 29, PT: 25, QA: 29, RO: 24, RS: 22, RU: 33, SA: 24, SC: 31,
  SD: 18, SE: 24, SI: 19, SK: 24, SM: 27, SO: 23, ST: 25, SV: 28, TL: 23, TN: 24, TR: 26, UA: 29,
  VA: 22, VG: 24, XK: 20, YE: 30,
};

/** Whether an IBAN could start at `start`: two capitals then a digit, not glued to a word before. */
export function ibanCouldStartAt(text: string, start: number): boolean {
  return isUpper(codeAt(text, start)) && isUpper(codeAt(text, start + 1)) && isDigit(codeAt(text, start + 2))
    && !isWordChar(codeAt(text, start - 1));
}

/**
 * The examples of SWIFT's IBAN Registry (and Wikipedia's British one), which docs, validators' tests and
 * forms' placeholders quote everywhere: they are nobody's account.
 */
const EXAMPLE_IBANS: ReadonlySet<string> = new Set([
  'DE89370400440532013000', 'GB29NWBK60161331926819', 'GB82WEST12345698765432', 'FR1420041010050500013M02606',
  'NL91ABNA0417164300', 'BE68539007547034', 'NO9386011117947', 'CH9300762011623852957', 'AT611904300234573201',
  'ES9121000418450200051332', 'IT60X0542811101000000123456', 'DK5000400440116243', 'FI2112345600000785',
  'SE4550000000058398257466', 'PL61109010140000071219812874', 'PT50000201231234567890154', 'IE29AIBK93115212345678',
  'LU280019400644750000', 'CY17002001280000001200527600', 'MT84MALT011000012345MTLCAST001S', 'TR330006100519786457841326',
]);

/** Whether `finding`, an IBAN matchIban found, is one of the registry's examples: not reported, but its digits are no other number. */
export function isExampleIban(text: string, finding: Finding): boolean {
  return EXAMPLE_IBANS.has(text.slice(finding.start, finding.end).replaceAll(' ', ''));
}

/** The IBAN starting at `start` (a registry example too: see isExampleIban), or undefined. */
export function matchIban(text: string, start: number): Finding | undefined {
  const length = IBAN_LENGTHS[text.slice(start, start + 2)];
  if (length === undefined || !isDigit(codeAt(text, start + 3))) return undefined;
  let compact = '';
  let index = start;
  let grouped: boolean | undefined;
  while (compact.length < length) {
    if (compact.length >= 4 && compact.length % 4 === 0) {
      const space = codeAt(text, index) === 32;
      grouped ??= space;
      if (space !== grouped) return undefined;
      if (space) index += 1;
    }
    const code = codeAt(text, index);
    if (!isDigit(code) && !isUpper(code)) return undefined;
    compact += text.charAt(index);
    index += 1;
  }
  if (isWordChar(codeAt(text, index)) || !ibanChecksumValid(compact)) return undefined;
  return { type: 'iban', start, end: index };
}
