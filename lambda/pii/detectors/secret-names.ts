/**
 * Which assignment targets name a secret. A name qualifies when one of its words contains a secret stem
 * (key, secret, token, password, passwd, pwd, credential, auth) and none of its words says the value is
 * about a secret rather than the secret itself: `api_key_id`, `token_url`, `max_tokens`, `public_key`,
 * `pubkey256`, `cache_key`, `sort_key`, `auth_type`, `password_hash`, `TOKEN_QUERY_PARAM` (a parameter's name).
 */

const SECRET_STEMS = ['key', 'secret', 'token', 'passw', 'pwd', 'credential', 'auth'];
/** Whole words that are secrets without a stem inside (`DB_PASS`). */
const SECRET_WORDS = new Set(['pass', 'passphrase', 'pw', 'psk']);

/** Words that make the value metadata about a secret, or a key that is not a secret at all. */
const NON_SECRET_WORDS = new Set([
  'id', 'ids', 'name', 'names', 'type', 'types', 'kind', 'url', 'uri', 'urls', 'endpoint', 'host', 'path', 'file',
  'filename', 'dir', 'length', 'len', 'size', 'count', 'max', 'min', 'limit', 'limits', 'expiry', 'expires',
  'expiration', 'ttl', 'at', 'time', 'timestamp', 'date', 'created', 'updated', 'version', 'format', 'prefix',
  'suffix', 'header', 'mode', 'method', 'field', 'fields', 'index', 'usage', 'env', 'var', 'region', 'scope',
  'scopes', 'provider', 'strategy', 'algorithm', 'alg', 'policy', 'rotation', 'enabled', 'required', 'hint',
  'label', 'description', 'template', 'pattern', 'regex', 'schema', 'ref', 'arn', 'hash', 'hashed', 'fingerprint',
  'checksum', 'digest', 'public', 'pub', 'publishable', 'cache', 'sort', 'partition', 'primary', 'foreign',
  'idempotency', 'composite', 'lookup', 'map', 'unique', 'row', 'range', 'keys', 'tokens', 'tokenizer',
  'keyboard', 'keyword', 'keywords', 'author', 'authors', 'authority', 'authored', 'param', 'params', 'parameter',
  'parameters', 'pubkey', 'pubkeys', 'publickey', 'props', 'options', 'opts',
]);

const TRAILING_DIGITS = /\d+$/;

/** `SecretAccessKey` → secret, access, key; `APIKey` → api, key; `x-api-key` → x, api, key. */
function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word !== '');
}

/** Cheap first look: most assignment targets contain no stem at all. */
const ANY_STEM = /key|secret|token|pass|pwd|credential|auth|pw|psk/i;

/** ANY_STEM's words (`pwd` is left out: `pw` finds it), for mayNameSecretIn. */
const STEMS = ['key', 'secret', 'token', 'pass', 'credential', 'auth', 'pw', 'psk'];

/**
 * The stems beginning with each pair of lower-case characters, as bits (1 << index in STEMS), indexed by
 * `first * 128 + second`. Every stem has two characters at least, so a name without one of these pairs at
 * some position (most names) is dismissed reading each character once.
 */
const STEMS_BY_PAIR = (() => {
  const table = new Uint8Array(128 * 128);
  STEMS.forEach((stem, index) => {
    const pair = stem.charCodeAt(0) * 128 + stem.charCodeAt(1);
    table[pair] = (table[pair] ?? 0) | (1 << index);
  });
  return table;
})();

/**
 * Whether `text[from, end)` starts with `stem`, letters compared in either case, once the caller has
 * matched its first two characters.
 */
function stemContinuesAt(text: string, from: number, end: number, stem: string): boolean {
  if (end - from < stem.length) return false;
  for (let i = 2; i < stem.length; i += 1) {
    if ((text.charCodeAt(from + i) | 32) !== stem.charCodeAt(i)) return false;
  }
  return true;
}

/**
 * Whether the name `text[start, end)` could name a secret of either kind (isSecretName or
 * isAwsSecretName), before either splits it into words: ANY_STEM's test, read in place. Names are ASCII
 * letters, digits, `_`, `-` and `.` (secret-assignment.ts), so setting bit 5 lower-cases the letters and
 * maps no other name character onto one (nor outside 0–127). Runs for every name an operator's value
 * follows, so it does not slice the name out or call into the regex engine.
 */
export function mayNameSecretIn(text: string, start: number, end: number): boolean {
  let next = text.charCodeAt(start) | 32;
  for (let index = start; index + 1 < end; index += 1) {
    const code = next;
    next = text.charCodeAt(index + 1) | 32;
    const stems = STEMS_BY_PAIR[((code & 127) << 7) | (next & 127)] ?? 0;
    if (stems === 0) continue;
    for (let stem = 0; stem < STEMS.length; stem += 1) {
      if ((stems & (1 << stem)) !== 0 && stemContinuesAt(text, index, end, STEMS[stem] ?? '')) return true;
    }
  }
  return false;
}

/** Whether an assignment target (`DB_PASSWORD`, `apiKey`, `x-api-key`, `client_secret`) names a secret. */
export function isSecretName(name: string): boolean {
  if (!ANY_STEM.test(name)) return false;
  const words = nameWords(name);
  let secret = false;
  for (const word of words) {
    // A number ending a word is a variant's (`pubkey256`, `id2`): the word says what it is without it.
    if (NON_SECRET_WORDS.has(word) || NON_SECRET_WORDS.has(word.replace(TRAILING_DIGITS, ''))) return false;
    if (SECRET_WORDS.has(word) || SECRET_STEMS.some((stem) => word.includes(stem))) secret = true;
  }
  return secret;
}

/** `aws_secret_access_key`, `AWS_SECRET_ACCESS_KEY`, `SecretAccessKey`, `aws_secret_key`, `awsSecret`. */
export function isAwsSecretName(name: string): boolean {
  if (!/secret/i.test(name)) return false;
  const squashed = name.toLowerCase().replace(/[^a-z]/g, '');
  return squashed.includes('secretaccesskey') || squashed.includes('awssecret');
}
