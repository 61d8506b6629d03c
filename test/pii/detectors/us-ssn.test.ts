import { found } from './scan';

describe('US SSN detector', () => {
  it.each([
    ['dashed', 'Employee SSN 412-73-5561 needs verifying.', '412-73-5561'],
    ['spaced', 'ssn: 219 09 9998', '219 09 9998'],
    ['in JSON', '{"ssn": "536-22-8726"}', '536-22-8726'],
    ['bare, after "SSN"', 'SSN 536228726 on file', '536228726'],
    ['bare, after "social security number"', 'Her Social Security number is 536228726.', '536228726'],
  ])('finds %s', (_, text, ssn) => {
    expect(found(text, 'us_ssn')).toEqual([['us_ssn', ssn]]);
  });

  it.each([
    ['area 000', '000-12-3456'],
    ['area 666', '666-12-3456'],
    ['area 9xx (never issued)', '912-34-5678 and 987-65-4321'],
    ['group 00', '123-00-4567'],
    ['serial 0000', '123-45-0000'],
    ['mixed separators', '123-45 6789'],
    ['a bare nine-digit number without context', 'order 536228726 shipped'],
    ['part of a longer number', '1-412-73-5561 and 412-73-5561-0'],
    ['numbers the SSA voided, and the placeholder', 'SSN 078-05-1120, ssn: 219 09 9999, SSN 123-45-6789, SSN 078051120'],
    ['a date or a ZIP+4', '2024-01-15 and 94105-1234'],
  ])('ignores %s', (_, text) => {
    expect(found(text, 'us_ssn')).toEqual([]);
  });

  it('reports a voided SSN as nothing else either', () => {
    expect(found('SSN 078-05-1120 and 219-09-9999')).toEqual([]);
  });
});
