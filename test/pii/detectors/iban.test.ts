import { found } from './scan';

describe('IBAN detector', () => {
  it.each([
    ['German, compact', 'IBAN: DE89370400440532013000', 'DE89370400440532013000'],
    ['German, grouped', 'Wire to DE89 3704 0044 0532 0130 00 by Monday.', 'DE89 3704 0044 0532 0130 00'],
    ['British, letters in the BBAN', 'GB29NWBK60161331926819', 'GB29NWBK60161331926819'],
    ['British, grouped', '"iban": "GB29 NWBK 6016 1331 9268 19"', 'GB29 NWBK 6016 1331 9268 19'],
    ['Dutch', 'NL91ABNA0417164300.', 'NL91ABNA0417164300'],
    ['French (27 characters)', 'FR14 2004 1010 0505 0001 3M02 606', 'FR14 2004 1010 0505 0001 3M02 606'],
    ['Norwegian (shortest, 15)', 'konto NO9386011117947', 'NO9386011117947'],
    ['Maltese (31)', 'MT84MALT011000012345MTLCAST001S', 'MT84MALT011000012345MTLCAST001S'],
  ])('finds %s', (_, text, iban) => {
    expect(found(text, 'iban')).toEqual([['iban', iban]]);
  });

  it.each([
    ['a wrong check digit', 'DE88370400440532013000'],
    ['the wrong length for the country', 'DE8937040044053201300 and DE893704004405320130000'],
    ['an unknown country', 'XX89370400440532013000'],
    ['glued to a word', 'xDE89370400440532013000'],
    ['inconsistent grouping', 'DE89 37040044 0532 0130 00'],
    ['lower case (not how IBANs are written)', 'de89370400440532013000'],
  ])('ignores %s', (_, text) => {
    expect(found(text, 'iban')).toEqual([]);
  });
});

describe('IBAN detector next to other numbers', () => {
  it('leaves the numbers after an IBAN to their own detectors', () => {
    expect(found('DE89 3704 0044 0532 0130 00 415-555-0132')).toEqual([['iban', 'DE89 3704 0044 0532 0130 00'], ['phone', '415-555-0132']]);
  });
});
