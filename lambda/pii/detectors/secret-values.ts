import { characterClasses, shannonEntropy } from './chars';

/**
 * Whether a value assigned to a secret-looking name is itself a secret: long enough, random enough, and
 * not one of the things code assigns to such names — references (`${SECRET}`, `process.env.X`,
 * `os.environ["X"]`, `{{ .Values.token }}`, `AWS4${credentials.secretAccessKey}`), member accesses
 * (`config?.httpAuthSchemes`, `this.#key.format`, `process.env[NAME]`), the name itself (`exports.AuthSigner
 * = AuthSigner`, `TOKEN_EXPIRED: "TOKEN_EXPIRED"`), placeholders (`your-api-key-here`, `<token>`,
 * `changeme`, `[REDACTED]`, AWS's documentation keys ending in `EXAMPLE`; `xxxxxxxx` and `********` are too
 * regular to pass the entropy test), minified expressions (`props.token??void`), UUIDs, short hex ids, file
 * paths, URLs, numbers, text in other scripts, and words and identifiers made of words (`X-Amz-Security-Token`,
 * `SignatureV4SignWithCredentials`, `__smithy_context`).
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
/**
 * Code that reads a value: an identifier (optionally negated) followed by member accesses, optional
 * chaining, private fields or an index, which may be cut short where the value ended (`process.env[NAME`).
 */
const MEMBER_ACCESS = /^!{0,2}[A-Za-z_$][\w$]*(?:(?:\?\.|!?\.)#?[A-Za-z_$][\w$]*|(?:\?\.)?\[[\w$#.'"]*\]?)+$/;
/**
 * Documentation's made-up credentials: AWS writes every example key, token and id with `EXAMPLE` in it
 * (`AKIAIOSFODNN7EXAMPLE`, `wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY`, `AQoDYXdzEPT//////////wEXAMPLE…`),
 * others begin a word with it (`ghp_exampletoken`); seven given letters in a row are not something random
 * text has.
 */
export const DOCUMENTATION_EXAMPLE = /EXAMPLE|(?<![A-Za-z])example/;
/**
 * An expression, as minified code writes it unspaced, so that the whole of it reads as one value:
 * `props.token??void`, `a?.apiKey?`, `x===y`, `exports.ApiKey=void`, `_classThis=_classDescriptor.value`,
 * `secret?{…}`, and subscripts however they end (`tokendefs[statestack[-1`). Random values do not join a
 * dotted name to an operator (base64's `==` is padding at the end), nor hold a `[`.
 */
const EXPRESSION = /\?\?|\?\.|[=!]==|&&|\|\||^!?[A-Za-z_$][\w$]*(?:\??\.[A-Za-z_$][\w$]*)+(?:\?|=|!=)|^[A-Za-z_$][\w$]*(?:=[A-Za-z_$][\w$]*\.|\?[[{(!])|^[A-Za-z_$][\w$.]*\[/;
/**
 * A relative path or a name under a domain, in lower case (`path/to/cert.pem`, `browser-recordings/`,
 * `node.kubernetes.io/instance-type`): random values with a `/` are base64, in mixed case. A run of 16
 * letters and digits in it is a random value's, not a name's (`8d5214ea810e918af711f03fcd3ab3b2/`).
 */
const LOWER_CASE_PATH = /^(?!.*[a-z0-9]{16})[a-z0-9_.-]+(?:\/[a-z0-9_.-]*)+$/;
/**
 * A C or Python identifier in lower snake case, abbreviations and all (`pkcs8_priv_key_info_st`,
 * `__darwin_pthread_key_t`): three parts or more, none longer than a word. Random values are not
 * lower-case words joined by underscores.
 */
const SNAKE_IDENTIFIER = /^_*[a-z][a-z0-9]{0,11}(?:_+[a-z0-9]{1,12}){2,}_*$/;
/** Escaped markup (`&lt;`, `&amp;`, `&#229;`) or a format field (`{}`, `{0}`): text and templates, not a secret. */
const MARKUP_OR_FORMAT = /&(?:[a-z]{2,6}|#\d{1,6});|\{\d?\}/;
/** A regular expression literal (`/AIza[A-Za-z0-9_-]{35}/`): base64 has `/` but never `[`. */
const REGEX_LITERAL = /^\/[^\s[]*\[/;
/** A letter of a script other than Latin (or typographic punctuation): natural-language text, not a generated secret. */
const BEYOND_LATIN = /[\u0370-\uffff]/;
/** A scoped npm package, or a path in one (`@babel/plugin-class-features/looseKey`). */
const SCOPED_PACKAGE = /^@[a-z0-9~-][\w.~-]*\//;
/** Abbreviations without a vowel that names are made of (`createHttpAuthOption`, `KmsKeyId`, `SslCtx`). */
const VOWELLESS_WORDS = new Set(['http', 'https', 'html', 'xml', 'sql', 'ssl', 'tls', 'ssh', 'jwt', 'kms', 'sdk', 'cdk', 'rpc', 'grpc', 'cmd', 'ctx', 'msg', 'src', 'dst', 'pwd', 'cfg', 'mfa', 'ttl', 'dns', 'std', 'pkcs', 'crm', 'cms', 'sms', 'cfn', 'vpc']);
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
/** What decorates an identifier without being part of its words: `__x__`, `@@x@@`, a `$1` suffix. */
const DECORATION = /^[_@$]+|(?:\$\d*)?[_@]*$/g;
/**
 * A version or variant glued to a word: a capital and a digit or two after a lower-case letter
 * (`SignatureV4Sign`, `EventV2With`), or a digit or two ending a lower-case word (`ec2-metadata`,
 * `OAuth2Token`); either ends where a word does, before a capital, a separator or the end. In random
 * text digits are as often followed by a lower-case letter (`Zol2ms`).
 */
const GLUED_VERSION = /(?<=[a-z])[A-Z]?\d{1,2}(?=[A-Z_.-]|$)/g;
const MAX_GLUED_VERSIONS = 2;
/** Camel-case segments covering every letter: an acronym, a capitalised word, a lower-case word. */
const SEGMENT = /[A-Z]+(?![a-z])|[A-Z][a-z]+|[a-z]+/g;
const VOWEL = /[aeiouyAEIOUY]/;
const MAX_ACRONYM = 5;
const CAPITAL_VOWELS = /[AEIOUY]/g;
const FOUR_CONSONANTS = /[B-DF-HJ-NP-TV-XZ]{4}/;

/** Names are lower, upper or camel case: few capitals or almost all. Random letters are about half capitals. */
const MIXED_CASE = { low: 0.3, high: 0.7 };

/**
 * Whether a run of capitals longer than an acronym reads as a word (`INVALID`, `CREDENTIALS`, `IMMUTABLE`):
 * a vowel in every four letters and never four consonants in a row. Random capitals have vowels too, but
 * fewer, and long runs without one.
 */
function capitalsReadAsWord(segment: string): boolean {
  return (segment.match(CAPITAL_VOWELS)?.length ?? 0) * 4 >= segment.length && !FOUR_CONSONANTS.test(segment);
}

/**
 * Whether a camel-case segment reads as a word: a lower-case or capitalised word with a vowel (or a
 * vowelless abbreviation), a short acronym, or a lone capital before a capitalised word: one that starts
 * a name or a part of one (`TAuthorizer`, `X-Amz`), or the `O` of `OAuth` anywhere (`CreateOAuth2Token`).
 * `next` is the segment after it, given only where a lone capital may be a word. A longer run of capitals
 * is a word only in screaming snake or kebab case (`INVALID_CREDENTIALS`, `X-FORWARDED-FOR`), and only if it
 * reads as one.
 */
function isWordSegment(segment: string, next: string | undefined, snakeCase: boolean): boolean {
  if (segment !== segment.toUpperCase()) return VOWEL.test(segment) || VOWELLESS_WORDS.has(segment.toLowerCase());
  if (segment.length === 1) return segment === 'A' || segment === 'I' || (next !== undefined && /^[A-Z][a-z]/.test(next));
  return segment.length <= MAX_ACRONYM || (snakeCase && capitalsReadAsWord(segment));
}

/**
 * Words (`my-super-secret-password`, `ThisIsMyPasswordValue`, `API_KEY_VALUE`) and identifiers made of
 * them (`__smithy_context`, `SignatureV4SignWithCredentials`, `x-aws-ec2-metadata-token`): letters but
 * for a decoration and a digit or two glued to a word, capitals in the proportions names have, and every
 * segment a word. Random letters (`pekdLxEkapj…`, `ZUXTVEMeqrb…`) fail one of these.
 */
function looksLikeWords(value: string): boolean {
  const core = value.replace(DECORATION, '');
  const versions = core.match(GLUED_VERSION)?.length ?? 0;
  const letters = versions === 0 ? core : core.replace(GLUED_VERSION, '');
  if (versions > MAX_GLUED_VERSIONS || !LETTER_SEGMENTS.test(letters)) return false;
  const onlyLetters = letters.replace(/[^A-Za-z]/g, '');
  const capitals = onlyLetters.replace(/[^A-Z]/g, '').length / onlyLetters.length;
  if (capitals > MIXED_CASE.low && capitals < MIXED_CASE.high) return false;
  const segments = [...letters.matchAll(SEGMENT)];
  const snakeCase = /[-_.]/.test(letters);
  return segments.every((segment, index) => {
    const next = segments[index + 1]?.[0];
    const startsPart = segment.index === 0 || !/[A-Za-z]/.test(letters.charAt(segment.index - 1));
    return isWordSegment(segment[0], startsPart || (segment[0] === 'O' && next === 'Auth') ? next : undefined, snakeCase);
  });
}

/** Whether the value spells the name it is assigned to (`exports.AuthSigner = AuthSigner`, `X_TOKEN = "x-token"`). */
function spellsName(value: string, name: string): boolean {
  const lastPart = name.slice(name.lastIndexOf('.') + 1);
  const letters = (text: string): string => text.replace(/[^A-Za-z0-9]/g, '').toLowerCase();
  return letters(value) === letters(lastPart);
}

/** Shapes of code, names and text that a value assigned to a secret-looking name often has, and a secret never. */
const CODE_AND_TEXT: readonly RegExp[] = [
  MEMBER_ACCESS, EXPRESSION, URL_OR_SCHEME, PATH, LOWER_CASE_PATH, SCOPED_PACKAGE, REGEX_LITERAL, BEYOND_LATIN, SNAKE_IDENTIFIER,
  MARKUP_OR_FORMAT,
];

/** Whether `value`, assigned to the secret-looking `name`, is a secret (see the module comment). */
export function isSecretValue(value: string, name = ''): boolean {
  if (value.length < MIN_SECRET_LENGTH || value.length > MAX_SECRET_LENGTH) return false;
  if (REFERENCE_START.test(value) || value.includes('(') || value.includes('${') || PLACEHOLDER_WORDS.test(value) || DOCUMENTATION_EXAMPLE.test(value)) return false;
  if (CODE_AND_TEXT.some((shape) => shape.test(value))) return false;
  if (spellsName(value, name) || looksLikeWords(value)) return false;
  if (UUID.test(value) || (HEX.test(value) && value.length < MIN_HEX_SECRET)) return false;
  return characterClasses(value) >= 2 && shannonEntropy(value) >= MIN_ENTROPY;
}
