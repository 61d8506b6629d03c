import { found } from './scan';

describe('payment card detector', () => {
  it.each([
    ['Visa, compact', 'Card: 4539148803436467', '4539148803436467'],
    ['Visa, spaced', 'paid with 4539 1488 0343 6467, exp 09/27', '4539 1488 0343 6467'],
    ['Mastercard, dashed', '"card_number": "5483-6721-9054-3729"', '5483-6721-9054-3729'],
    ['Mastercard 2-series', 'card 2274610395872147 declined', '2274610395872147'],
    ['Amex 4-6-5', 'Amex 3745 290183 64576 on file', '3745 290183 64576'],
    ['Discover', 'Discover 6011528374609125.', '6011528374609125'],
    ['JCB', 'JCB: 3567482103958475', '3567482103958475'],
    ['Diners 4-6-4', 'Diners 3056 718264 0393', '3056 718264 0393'],
    ['followed by an expiry date', '4539 1488 0343 6467 12/26', '4539 1488 0343 6467'],
    ['in a CSV row', '42,Jordan,4539148803436467,2025', '4539148803436467'],
  ])('finds %s', (_, text, card) => {
    expect(found(text, 'payment_card')).toEqual([['payment_card', card]]);
  });

  it.each([
    ['a Luhn failure', 'Card 4539 1488 0343 6468'],
    ['an unknown issuer prefix', 'ref 9539148803436466 and 1234567812345670'],
    ['epoch milliseconds and microseconds (they start with 1)', '1700000000123 1700000000123456'],
    ['a snowflake id', '"id": 1145141919810931'],
    ['more than 19 digits', '45391488034364671234567'],
    ['a card-shaped stretch of a longer list of numbers', 'Results: 9365 4539 1488 0343 6467 9993 7552'],
    ['a decimal fraction', 'pi is 3.4539148803436467'],
    ['digits glued to letters (hex, base64)', 'a4539148803436467b and /4539148803436467x'],
    ['part of an identifier', 'ORD-4539148803436467 and 4539-1488-0343-6467-22'],
    ['a 13-digit Visa-shaped number (no longer issued; far more often an id)', 'order 4222222222222'],
    // Published so that anyone may use them: docs, SDKs' and validators' tests are full of them.
    ['test numbers with a run of one digit', '4111 1111 1111 1111, 5555-5555-5555-4444, 6011111111111117, 4000000000000002, 4012888888881881'],
    ["providers' and networks' test numbers", '4242 4242 4242 4242, 3782 822463 10005, 6011000990139424, 3530111333300000, 2223003122003222, 3056 930902 5904'],
  ])('ignores %s', (_, text) => {
    expect(found(text, 'payment_card')).toEqual([]);
  });
});
