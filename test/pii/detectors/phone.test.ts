import { found } from './scan';

describe('phone detector', () => {
  it.each([
    ['E.164', 'Call +4915112345678 now.', '+4915112345678'],
    ['international, NANP with parentheses', 'Tel. +1 (415) 555-0132', '+1 (415) 555-0132'],
    ['international, dashed', 'reach me at +1-415-555-0132.', '+1-415-555-0132'],
    ['international, UK', 'Office: +44 20 7946 0958', '+44 20 7946 0958'],
    ['international with trunk zero in parentheses', 'Berlin +49 (0)30 1234567', '+49 (0)30 1234567'],
    ['international, French grouping', 'Paris: +33 1 23 45 67 89', '+33 1 23 45 67 89'],
    ['international, 00 prefix', 'dial 0049 30 1234567', '0049 30 1234567'],
    ['US with parentheses', 'Her number is (415) 555-0132.', '(415) 555-0132'],
    ['US dashed', '"phone": "415-555-0132"', '415-555-0132'],
    ['US dotted', 'phone=415.555.0132', '415.555.0132'],
    ['US spaced', 'call 415 555 0132 today', '415 555 0132'],
    ['US with country code', 'toll free 1-800-555-0199', '1-800-555-0199'],
    ['UK national', 'London 020 7946 0958', '020 7946 0958'],
    ['UK mobile', 'mobile 07700 900123', '07700 900123'],
    ['German national', 'Festnetz 030 12345678', '030 12345678'],
    ['German with slash', 'Tel 089/1234567', '089/1234567'],
    ['German with area code in parentheses', 'Tel (030) 1234567', '(030) 1234567'],
    ['French national', 'Appelez le 01 23 45 67 89', '01 23 45 67 89'],
    ['French national before a word that is also hex', 'Mon numéro : 01 23 45 67 89 de 9h à 18h', '01 23 45 67 89'],
    ['French dotted', 'tél 06.12.34.56.78', '06.12.34.56.78'],
    ['inside parentheses', 'the hotline (020 7946 0958) is open', '020 7946 0958'],
    ['after an ISO date in the same run of numbers', 'on 2024-08-23 415-555-0132', '415-555-0132'],
  ])('finds %s', (_, text, phone) => {
    expect(found(text, 'phone')).toEqual([['phone', phone]]);
  });

  it.each([
    ['a bare digit run (an id, not a phone)', 'user 4915112345678 logged in'],
    ['order and invoice numbers', 'Order ORD-2024-001234, invoice INV-000123456, #4155550132'],
    ['timestamps and dates', '2024-01-15 12:30:45, 15.01.2024, 01/15/2024, epoch 1705321845'],
    ['prices and amounts', '$1,234.56 or 1 234 567,89 € or 12.345.678 ₫'],
    ['versions and IPs', 'v10.0.19045.3803 and 192.168.100.200'],
    ['an ISBN and a ZIP+4', 'ISBN 978-3-16-148410-0, ZIP 94105-1234'],
    ["the GPL notice's address", ' * 51 Franklin St, Fifth Floor, Boston, MA\n * 02110-1301 USA; 59 Temple Place, Suite 330, Boston, MA 02111-1307'],
    ['a NANP-shaped number with an invalid area code', '123-456-7890 and (155) 555-0132'],
    ['a short trunk number (a date)', '01.02.2024'],
    ['a zero-padded id', 'account 0012345678'],
    ['part of an identifier', 'ID-415-555-0132 and 415-555-0132-01'],
    ['a diff hunk header', '@@ -12,7 +12,9 @@'],
    ["bytes Node's Buffer prints", '// Prints: <Buffer 01 02 03 04 05>\n// Prints: <Buffer a0 8b 28 3f 01 00 00 00 50 32>'],
    ['arithmetic and fractions in code', 'n = this._imul(n, 5)+3864292196; <path d="M22.003 18.236c-.023.764.018">'],
    ['big numbers, decimals and times in code', 'e = +4611686018427387904; Decimal("+35236450.6"); f"{x:013f}" == "01234.000000"; "2025-01-02T03:04:05.6789010"'],
    ['an IPv4 address with zero-padded octets', '"016.016.016.016", "001.000.008.016", "016.016.016"'],
    ["validators' made-up numbers", '"+15555555555", "+1 555 555 5555", "+44 7777 777777"'],
    ['bits in groups', "bin('1010101 0110011 0011110 0011110'), '010111 110100 001110 110111'"],
    ['a hex dump', '00000000  48 65 6c 6c 6f 0a 01 23 45 67 89 12  |Hello..#Eg..|\n00000010  02 03 04 05 06 07 fe 7f'],
  ])('ignores %s', (_, text) => {
    expect(found(text, 'phone')).toEqual([]);
  });

  it('leaves an SSN-shaped number to the SSN detector', () => {
    expect(found('SSN 412-73-5561')).toEqual([['us_ssn', '412-73-5561']]);
  });
});
