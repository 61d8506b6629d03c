import { found } from './scan';

describe('IBAN detector', () => {
  it.each([
    ['German, compact', 'IBAN: DE67760501014871236590', 'DE67760501014871236590'],
    ['German, grouped', 'Wire to DE67 7605 0101 4871 2365 90 by Monday.', 'DE67 7605 0101 4871 2365 90'],
    ['British, letters in the BBAN', 'GB98NWBK60730291847365', 'GB98NWBK60730291847365'],
    ['British, grouped', '"iban": "GB98 NWBK 6073 0291 8473 65"', 'GB98 NWBK 6073 0291 8473 65'],
    ['Dutch', 'NL92RABO0312745896.', 'NL92RABO0312745896'],
    ['French (27 characters)', 'FR63 3000 4008 2100 087M 6490 237', 'FR63 3000 4008 2100 087M 6490 237'],
    ['Norwegian (shortest, 15)', 'konto NO5015032080119', 'NO5015032080119'],
    ['Maltese (31)', 'MT15MALT011000045832MTLCAST002K', 'MT15MALT011000045832MTLCAST002K'],
  ])('finds %s', (_, text, iban) => {
    expect(found(text, 'iban')).toEqual([['iban', iban]]);
  });

  it.each([
    ['a wrong check digit', 'DE68760501014871236590'],
    ['the wrong length for the country', 'DE6776050101487123659 and DE677605010148712365900'],
    ['an unknown country', 'XX67760501014871236590'],
    ['glued to a word', 'xDE67760501014871236590'],
    ['inconsistent grouping', 'DE67 76050101 4871 2365 90'],
    ['lower case (not how IBANs are written)', 'de67760501014871236590'],
    // The IBAN Registry's examples, quoted by docs, validators' tests and forms' placeholders.
    ["the IBAN Registry's examples", 'DE89 3704 0044 0532 0130 00, GB29NWBK60161331926819, NL91ABNA0417164300, FR1420041010050500013M02606, NO9386011117947'],
  ])('ignores %s', (_, text) => {
    expect(found(text, 'iban')).toEqual([]);
  });
});

describe('IBAN detector next to other numbers', () => {
  it("reports a registry example's digits as nothing else", () => {
    expect(found('Wire to DE89 3704 0044 0532 0130 00 or GB29 NWBK 6016 1331 9268 19.')).toEqual([]);
  });

  it('leaves the numbers after an IBAN to their own detectors', () => {
    expect(found('DE67 7605 0101 4871 2365 90 415-555-0132')).toEqual([['iban', 'DE67 7605 0101 4871 2365 90'], ['phone', '415-555-0132']]);
  });
});
