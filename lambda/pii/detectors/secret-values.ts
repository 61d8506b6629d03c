import { characterClasses, shannonEntropy } from './chars';

/**
 * Whether a value assigned to a secret-looking name is itself a secret: long enough, random enough, and
 * not one of the things code assigns to such names — references (`${SECRET}`, `process.env.X`,
 * `os.environ["X"]`, `{{ .Values.token }}`), placeholders (`your-api-key-here`, `<token>`, `changeme`,
 * `[REDACTED]`; `xxxxxxxx` and `********` are too regular to pass the entropy test), UUIDs, short hex ids,
 * file paths, URLs, numbers and ordinary words.
 */

export const MIN_SECRET_LENGTH = 16;
const MAX_SECRET_LENGTH = 512;
/** Bits per character; random base64 of 16+ characters is near 4, words and repetitions well under 3. */
const MIN_ENTROPY = 3;
/** Hex this short under a secret name is an id or a hash prefix; 32+ hex digits are a generated secret. */
const MIN_HEX_SECRET = 32;

const PLACEHOLDER = ['your', 'example', 'placeholder', 'changeme', 'change', 'replace', 'dummy', 'redacted', 'insert', 'here', 'sample', 'todo', 'fixme'];
/**
 * A placeholder word as a word of its own, in one case (`your-api-key-here`, `YOUR_TOKEN`, `<Insert key>`,
 * `abc...`): random characters contain such letters too, but not delimited and in a single case.
 */
const PLACEHOLDER_WORDS = new RegExp(
  `(?:^|[^A-Za-z])(?:${PLACEHOLDER.flatMap((word) => [word, word.toUpperCase(), word[0]?.toUpperCase() + word.slice(1)]).join('|')})(?=[^A-Za-z]|$)|\\.\\.\\.|…`,
);
/** `$X`, `${X}`, `{{x}}`, `<x>`, `%(x)s`, `%{x}`, `%APPDATA%\…`, `[x]`, `#{x}`: a reference or a template, not a value. */
const REFERENCE_START = /^(?:\$|\{|<|%[({]|%[A-Za-z_]\w*%(?:$|[\\/])|\[|#\{)/;
const DOTTED_IDENTIFIER = /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HEX = /^[0-9a-f]+$/i;
const URL_OR_SCHEME = /^[a-z][a-z0-9+.-]*:/i;
/**
 * A file path: from a root, home or dot, in lower-case segments or ending in a file name with an extension
 * (`/etc/ssl/private/server.key`, `~/.aws/credentials`, `C:\\keys\\app.pem`). Base64 secrets may start
 * with `/` too, but their segments are mixed-case soup without an extension.
 */
const PATH = /^(?:(?:~|\.{1,2})?\/(?:[a-z0-9_.-]+\/)*[a-z0-9_.-]+\/?|(?:~|\.{1,2})?\/(?:[\w.-]+\/)*[\w-]+\.[A-Za-z0-9]{1,5}|[A-Za-z]:\\.*)$/;
/** Letters only, in snake, kebab, dotted or camel case segments. */
const LETTER_SEGMENTS = /^[A-Za-z]+(?:[-_.][A-Za-z]+)*$/;
/** Camel-case segments covering every letter: an acronym, a capitalised word, a lower-case word. */
const SEGMENT = /[A-Z]+(?![a-z])|[A-Z][a-z]+|[a-z]+/g;
const VOWEL = /[aeiouyAEIOUY]/;
const MAX_ACRONYM = 5;

/** Names are lower, upper or camel case: few capitals or almost all. Random letters are about half capitals. */
const MIXED_CASE = { low: 0.3, high: 0.7 };

/**
 * Words (`my-super-secret-password`, `ThisIsMyPasswordValue`, `API_KEY_VALUE`): letters only, capitals in
 * the proportions names have, and every segment with a vowel or a short acronym. Random letters
 * (`pekdLxEkapj…`, `ZUXTVEMeqrb…`) fail one of these.
 */
function looksLikeWords(value: string): boolean {
  if (!LETTER_SEGMENTS.test(value)) return false;
  const letters = value.replace(/[^A-Za-z]/g, '');
  const capitals = letters.replace(/[^A-Z]/g, '').length / letters.length;
  if (capitals > MIXED_CASE.low && capitals < MIXED_CASE.high) return false;
  for (const [segment] of value.matchAll(SEGMENT)) {
    // A lone capital inside a name is rare (`isAValue`); in random letters it is common.
    const wordLike = segment === segment.toUpperCase()
      ? segment.length <= MAX_ACRONYM && (segment.length > 1 || segment === 'A' || segment === 'I')
      : VOWEL.test(segment);
    if (!wordLike) return false;
  }
  return true;
}

/** Whether `value`, assigned to a secret-looking name, is a secret (see the module comment). */
export function isSecretValue(value: string): boolean {
  if (value.length < MIN_SECRET_LENGTH || value.length > MAX_SECRET_LENGTH) return false;
  if (REFERENCE_START.test(value) || value.includes('(') || PLACEHOLDER_WORDS.test(value)) return false;
  if (DOTTED_IDENTIFIER.test(value) || URL_OR_SCHEME.test(value) || PATH.test(value) || looksLikeWords(value)) return false;
  if (UUID.test(value) || (HEX.test(value) && value.length < MIN_HEX_SECRET)) return false;
  return characterClasses(value) >= 2 && shannonEntropy(value) >= MIN_ENTROPY;
}
