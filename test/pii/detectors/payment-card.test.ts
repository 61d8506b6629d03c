import { found } from './scan';

describe('payment card detector', () => {
  it.each([
    ['Visa, compact', 'Card: 4111111111111111', '4111111111111111'],
    ['Visa, spaced', 'paid with 4111 1111 1111 1111, exp 09/27', '4111 1111 1111 1111'],
    ['Mastercard, dashed', '"card_number": "5555-5555-5555-4444"', '5555-5555-5555-4444'],
    ['Mastercard 2-series', 'card 2223003122003222 declined', '2223003122003222'],
    ['Amex 4-6-5', 'Amex 3782 822463 10005 on file', '3782 822463 10005'],
    ['Discover', 'Discover 6011111111111117.', '6011111111111117'],
    ['JCB', 'JCB: 3530111333300000', '3530111333300000'],
    ['Diners 4-6-4', 'Diners 3056 930902 5904', '3056 930902 5904'],
    ['followed by an expiry date', '4111 1111 1111 1111 12/26', '4111 1111 1111 1111'],
    ['in a CSV row', '42,Jordan,4111111111111111,2025', '4111111111111111'],
  ])('finds %s', (_, text, card) => {
    expect(found(text, 'payment_card')).toEqual([['payment_card', card]]);
  });

  it.each([
    ['a Luhn failure', 'Card 4111 1111 1111 1112'],
    ['an unknown issuer prefix', 'ref 9111111111111119 and 1234567812345670'],
    ['epoch milliseconds and microseconds (they start with 1)', '1700000000123 1700000000123456'],
    ['a snowflake id', '"id": 1145141919810931'],
    ['more than 19 digits', '41111111111111111111111'],
    ['a card-shaped stretch of a longer list of numbers', 'Results: 9365 4111 1111 1111 1111 9993 7552'],
    ['a decimal fraction', 'pi is 3.4111111111111111'],
    ['digits glued to letters (hex, base64)', 'a4111111111111111b and /4111111111111111x'],
    ['part of an identifier', 'ORD-4111111111111111 and 4111-1111-1111-1111-22'],
    ['a 13-digit Visa-shaped number (no longer issued; far more often an id)', 'order 4222222222222'],
  ])('ignores %s', (_, text) => {
    expect(found(text, 'payment_card')).toEqual([]);
  });
});
