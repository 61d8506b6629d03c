/**
 * Documented API key formats, each a fixed prefix and a body of a fixed alphabet and length. The prefix
 * is what makes them precise: the vendors chose these prefixes so that scanners like this one can find
 * leaked keys. Stripe's `pk_live_`/`pk_test_` keys are left out on purpose: publishable keys are meant
 * to ship in web pages, so they are not secrets. Formats without a distinctive prefix (Twilio's `SK` + 32
 * hex, Mailgun's `key-`) are left to the secret-assignment detector, which needs a secret-like name.
 */
export interface KeyFormat {
  /** Vendor and kind, for documentation and tests. */
  readonly vendor: string;
  /** The key's first word, before its first `_` or `-` (`sk`, `ghp`, `xoxb`, `glpat`); empty for `AIza`. */
  readonly words: readonly string[];
  readonly prefix: string;
  /** The whole key, prefix included; matched sticky at the token start and must cover the whole token. */
  readonly pattern: RegExp;
}

function format(vendor: string, prefix: string, body: string, words: readonly string[] = [prefix.split(/[-_]/)[0] ?? prefix]): KeyFormat {
  return { vendor, words, prefix, pattern: new RegExp(`${prefix}${body}`, 'y') };
}

/**
 * Keys written as one base64url token (letters, digits, `_`, `-`) whose first word, before the first
 * separator, names the vendor: found from that separator.
 */
export const TOKEN_KEY_FORMATS: readonly KeyFormat[] = [
  format('Anthropic', 'sk-ant-', '(?:api|admin|oat|ort)\\d\\d-[A-Za-z0-9_-]{32,}'),
  format('OpenAI project, service account or admin key', 'sk-', '(?:proj|svcacct|admin)-[A-Za-z0-9_-]{32,}'),
  format('OpenAI (legacy) and OpenAI-compatible', 'sk-', '[A-Za-z0-9]{32,}'),
  format('Stripe secret or restricted key', 'sk_', '(?:live|test)_[A-Za-z0-9]{20,}'),
  format('Stripe restricted key', 'rk_', '(?:live|test)_[A-Za-z0-9]{20,}'),
  format('Stripe webhook signing secret', 'whsec_', '[A-Za-z0-9]{32,}'),
  format('GitHub token', 'gh', '[pousr]_[A-Za-z0-9]{36,251}', ['ghp', 'gho', 'ghu', 'ghs', 'ghr']),
  format('GitHub fine-grained token', 'github_pat_', '[A-Za-z0-9_]{50,247}'),
  format('Slack token', 'xox', '[abeoprs]-[0-9]+-[A-Za-z0-9-]{10,}', ['xoxa', 'xoxb', 'xoxe', 'xoxo', 'xoxp', 'xoxr', 'xoxs']),
  format('Slack app token', 'xapp-', '[0-9]-[A-Za-z0-9-]{20,}'),
  format('GateLLM gateway key', 'gllm_', '[A-Za-z0-9]{58}'),
  format('GateLLM admin token', 'gllm_admin_', '[A-Za-z0-9_-]{32}'),
  format('npm', 'npm_', '[A-Za-z0-9]{36}'),
  format('GitLab', 'gl', '(?:pat|dt|rt|ptt)-[A-Za-z0-9_-]{20,}', ['glpat', 'gldt', 'glrt', 'glptt']),
  format('Hugging Face', 'hf_', '[A-Za-z0-9]{34,}'),
  format('Shopify', 'shp', '(?:at|ss|ca|pa)_[a-fA-F0-9]{32}', ['shpat', 'shpss', 'shpca', 'shppa']),
  format('PyPI', 'pypi-', 'AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,}'),
  format('DigitalOcean', 'do', '[opr]_v1_[a-f0-9]{64}', ['doo', 'dop', 'dor']),
  format('Groq', 'gsk_', '[A-Za-z0-9]{52}'),
  format('xAI', 'xai-', '[A-Za-z0-9]{80}'),
  format('Linear', 'lin_api_', '[A-Za-z0-9]{40}'),
  format('Replicate', 'r8_', '[A-Za-z0-9]{37}'),
  format('Notion', 'ntn_', '[0-9]{11}[A-Za-z0-9]{35}'),
  format('Postman', 'PMAK-', '[a-f0-9]{24}-[a-f0-9]{34}'),
];

/** Google API keys: no separator after the prefix, so they are found from the literal `AIza`. */
export const GOOGLE_API_KEY = /AIza[A-Za-z0-9_-]{35}/y;

/** Keys with a `.` inside or that are URLs, found from a literal. */
export const SENDGRID_KEY = /SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}/y;
export const SLACK_WEBHOOK = /https:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/T[A-Z0-9]{6,}\/[A-Z0-9]{6,}\/[A-Za-z0-9]{16,}/y;
