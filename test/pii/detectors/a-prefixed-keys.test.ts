import { createScanner } from '../../../lambda/pii/scanner';
import { mayNameSecretIn } from '../../../lambda/pii/detectors/secret-names';

const GOOGLE_KEY = 'AIzaSyD8hQ2vXk3nR7pL0mWq5tY9uJ4cB6eF1gH';
const AWS_ID = 'AKIAJ5Q3XZ7W4NRT2KLM';

function findings(text: string, types: readonly string[]): [string, string][] {
  return createScanner({ types: new Set(types) }).scan(text).map((finding) => [finding.type, text.slice(finding.start, finding.end)]);
}

// AWS access key ids and Google API keys share one walk over capital A's; each must be found whichever
// of the two types is enabled, and neither may hide the other.
describe('walk over capital A keys', () => {
  const text = `key ${GOOGLE_KEY} and id ${AWS_ID}; Another ASIAY34FZKBOKMUTVV7A.`;

  it.each([
    [['aws_access_key'], [['aws_access_key', AWS_ID], ['aws_access_key', 'ASIAY34FZKBOKMUTVV7A']]],
    [['api_key'], [['api_key', GOOGLE_KEY]]],
    [['aws_access_key', 'api_key'], [['api_key', GOOGLE_KEY], ['aws_access_key', AWS_ID], ['aws_access_key', 'ASIAY34FZKBOKMUTVV7A']]],
  ])('with %j enabled finds %j', (types, expected) => {
    expect(findings(text, types)).toEqual(expected);
  });

  it('reports no id glued to more capitals or digits, and the next bounded one', () => {
    expect(findings(`${AWS_ID}AKIAIOSFODNN7EXAMPL2 ${AWS_ID}`, ['aws_access_key'])).toEqual([['aws_access_key', AWS_ID]]);
  });

  it('finds a Google key right after an AWS id-shaped run and the reverse', () => {
    expect(findings(`${AWS_ID} ${GOOGLE_KEY} ${AWS_ID}`, ['aws_access_key', 'api_key'])).toEqual([
      ['aws_access_key', AWS_ID], ['api_key', GOOGLE_KEY], ['aws_access_key', AWS_ID],
    ]);
  });

  it('finds SendGrid keys from their `G.` and not a `G.` without the `S`', () => {
    const body = 'Ab3dEf6hIj9lMn2pQr5tUv';
    const tail = 'Wx8zAb1dEf4hIj7lMn0pQr3tUv6xYz9bCd2fGh5jKl8';
    expect(findings(`SG.${body}.${tail} XG.${body}.${tail}`, ['api_key'])).toEqual([['api_key', `SG.${body}.${tail}`]]);
  });
});

describe('mayNameSecretIn', () => {
  const ANY_STEM = /key|secret|token|pass|pwd|credential|auth|pw|psk/i;

  it.each(['apiKey', 'DB_PASSWORD', 'x-api-key', 'client_secret', 'AUTH', 'Pwd', 'psk', 'CREDENTIALS', 'status', 'id', 'pswd', 'ke', 'tokn', 'a.b-c_d9'])(
    'agrees with the stem regex on %s, read inside a longer text', (name) => {
      const text = `const ${name} = 1`;
      expect(mayNameSecretIn(text, 6, 6 + name.length)).toBe(ANY_STEM.test(name));
    },
  );

  it('does not read past the end of the name', () => {
    expect(mayNameSecretIn('ke y', 0, 2)).toBe(false);
    expect(mayNameSecretIn('xkey', 0, 3)).toBe(false);
  });
});
