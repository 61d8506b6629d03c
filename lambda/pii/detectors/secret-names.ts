/**
 * Which assignment targets name a secret. A name qualifies when one of its words contains a secret stem
 * (key, secret, token, password, passwd, pwd, credential, auth) and none of its words says the value is
 * about a secret rather than the secret itself: `api_key_id`, `token_url`, `max_tokens`, `public_key`,
 * `cache_key`, `sort_key`, `auth_type`, `password_hash`.
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
  'keyboard', 'keyword', 'keywords', 'author', 'authors', 'authority', 'authored',
]);

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

/**
 * ANY_STEM's words by their first letter, without it (`pwd` is left out: `pw` finds it), for
 * mayNameSecretIn: index = lower-case character code.
 */
const STEM_TAILS: readonly (readonly string[] | undefined)[] = (() => {
  const tails: string[][] = [];
  for (const stem of ['key', 'secret', 'token', 'pass', 'credential', 'auth', 'pw', 'psk']) {
    (tails[stem.charCodeAt(0)] ??= []).push(stem.slice(1));
  }
  return tails;
})();

/** Whether `text[from, end)` starts with the lower-case `word`, letters compared in either case. */
function startsWithFolded(text: string, from: number, end: number, word: string): boolean {
  if (end - from < word.length) return false;
  for (let i = 0; i < word.length; i += 1) {
    if ((text.charCodeAt(from + i) | 32) !== word.charCodeAt(i)) return false;
  }
  return true;
}

/**
 * Whether the name `text[start, end)` could name a secret of either kind (isSecretName or
 * isAwsSecretName), before either splits it into words: ANY_STEM's test, read in place. Names are ASCII
 * letters, digits, `_`, `-` and `.` (secret-assignment.ts), so setting bit 5 lower-cases the letters and
 * maps no other name character onto one. Runs for every name an operator's value follows, so it does
 * not slice the name out or call into the regex engine.
 */
export function mayNameSecretIn(text: string, start: number, end: number): boolean {
  for (let index = start; index < end; index += 1) {
    const tails = STEM_TAILS[text.charCodeAt(index) | 32];
    if (tails === undefined) continue;
    for (const tail of tails) if (startsWithFolded(text, index + 1, end, tail)) return true;
  }
  return false;
}

/** Whether an assignment target (`DB_PASSWORD`, `apiKey`, `x-api-key`, `client_secret`) names a secret. */
export function isSecretName(name: string): boolean {
  if (!ANY_STEM.test(name)) return false;
  const words = nameWords(name);
  let secret = false;
  for (const word of words) {
    if (NON_SECRET_WORDS.has(word)) return false;
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
