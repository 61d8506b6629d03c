/**
 * The labelled set for data protection's pattern detectors: positives of every pattern type in varied
 * formats inside realistic sentences, code, JSON, YAML, env files, CSV and logs, and hard negatives of what
 * prompts are full of (code, UUIDs, hashes, timestamps, versions, order numbers, prices, big integers,
 * base64 images, decorators, placeholders). Deterministic: a seeded PRNG, never Math.random. The test suite
 * asserts its scores (test/pii/corpus-quality.test.ts); `npm run bench` reports them.
 */
import { PATTERN_PII_TYPES, type Finding, type PiiScanner } from '../../lambda/pii/types';
import {
  groupDigits, randomApiKey, randomAwsAccessKeyId, randomAwsSecretKey, randomCardDigits, randomEmail, randomIban,
  randomIpv4, randomIpv6, randomJwt, randomPhone, randomPrivateKey, randomSecretValue, randomSsn, seededRng, type Rng,
} from '../pii/detectors/generators';
import { hardNegatives } from '../pii/detectors/negatives';

export interface LabelledSample {
  readonly text: string;
  readonly spans: Finding[];
}

export interface PiiCorpus {
  readonly samples: LabelledSample[];
}

export interface TypeScore {
  readonly tp: number;
  readonly fp: number;
  readonly fn: number;
  readonly precision: number;
  readonly recall: number;
  /** Labelled spans of this type. */
  readonly support: number;
}

/** A piece of sample text: plain, or a labelled value. */
type Part = string | { readonly type: string; readonly value: string };

function sample(...parts: Part[]): LabelledSample {
  let text = '';
  const spans: Finding[] = [];
  for (const part of parts) {
    if (typeof part === 'string') {
      text += part;
    } else {
      spans.push({ type: part.type, start: text.length, end: text.length + part.value.length });
      text += part.value;
    }
  }
  return { text, spans };
}

/** Where a value sits: sentences, code, JSON, YAML, CSV, logs, markdown. `field` names the JSON/code field. */
function inContext(rng: Rng, value: Part, field: string, sentences: readonly string[]): LabelledSample {
  const sentence = rng.pick(sentences);
  const [before, after] = sentence.split('{v}') as [string, string];
  const id = rng.int(1000, 99999);
  return rng.pick([
    () => sample(before, value, after),
    () => sample(before, value, after),
    () => sample(`{"id": ${id}, "${field}": "`, value, `", "updated_at": "2024-0${rng.int(1, 9)}-1${rng.int(0, 9)}T10:2${rng.int(0, 9)}:00Z"}`),
    () => sample('```ts\nconst record = {\n  id: ', String(id), `,\n  ${field}: '`, value, `',\n  active: true,\n};\n\`\`\``),
    () => sample(`customers:\n  - id: ${id}\n    ${field}: `, value, '\n    tier: gold\n'),
    () => sample(`id,name,${field},created\n${id},Jordan,`, value, ',2023-11-02\n'),
    () => sample(`2024-05-0${rng.int(1, 9)} 12:0${rng.int(0, 9)}:33.120 INFO  [req ${id}] lookup ${field}=`, value, ' status=ok'),
    () => sample(`| Name | ${field} |\n|------|------|\n| Jordan | `, value, ' |'),
    () => sample(`> From the ticket: "${before}`, value, `${after}"`),
  ])();
}

const label = (type: string, value: string): Part => ({ type, value });

type Generator = (rng: Rng) => LabelledSample;

const POSITIVES: Readonly<Record<string, Generator>> = {
  email: (rng) => inContext(rng, label('email', randomEmail(rng)), 'email', [
    'Please forward the invoice to {v} before Friday.', 'Contact: {v}', 'cc {v} on the thread', 'Reply to <{v}> with the logs.', 'mailto:{v}',
    'The account owner ({v}) asked for a refund.', 'Send it to {v}.', 'recipients: ["{v}"]',
  ]),
  phone: (rng) => inContext(rng, label('phone', randomPhone(rng)), 'phone', [
    'You can reach me on {v} after 5pm.', 'Tel. {v}', 'Call the support line ({v}) if it fails again.', 'Her mobile is {v}.',
    'phone: {v} ext. 12', 'Fax {v}; office hours 9-17.',
  ]),
  payment_card: (rng) => {
    const { digits, groups } = randomCardDigits(rng);
    const value = rng.pick([digits, groupDigits(digits, groups, ' '), groupDigits(digits, groups, '-')]);
    return inContext(rng, label('payment_card', value), 'card_number', [
      'The customer paid with {v}, exp 09/27.', 'Card: {v}', 'refund the charge on card {v} please', 'Test with {v} and any CVC.',
    ]);
  },
  iban: (rng) => {
    const iban = randomIban(rng);
    const value = rng.chance(0.5) ? iban : iban.replace(/(.{4})(?=.)/g, '$1 ');
    return inContext(rng, label('iban', value), 'iban', ['Wire the deposit to {v} by Monday.', 'IBAN: {v}', 'Bank details ({v}) are in the contract.']);
  },
  us_ssn: (rng) => rng.chance(0.2)
    ? sample(rng.pick(['SSN ', 'ssn: ', 'Social Security number ']), label('us_ssn', randomSsn(rng, '')), rng.pick(['.', ' on file', '']))
    : inContext(rng, label('us_ssn', randomSsn(rng, rng.chance(0.85) ? '-' : ' ')), 'ssn', ['Employee SSN {v} needs verifying.', 'SSN: {v}', 'their social security number is {v}']),
  ip_address: (rng) => inContext(rng, label('ip_address', rng.chance(0.6) ? randomIpv4(rng) : randomIpv6(rng)), 'client_ip', [
    'Requests from {v} are failing.', 'ssh deploy@{v} -p 22', 'Allow {v} in the security group.', 'listen on [{v}]:8080',
    'curl http://{v}/health', 'the client {v}, then a timeout.',
  ]),
  aws_access_key: (rng) => inContext(rng, label('aws_access_key', randomAwsAccessKeyId(rng)), 'aws_access_key_id', [
    'Access key {v} was used from an unknown IP.', 'aws_access_key_id = {v}', 'export AWS_ACCESS_KEY_ID={v}',
  ]),
  aws_secret_key: (rng) => {
    const secret = label('aws_secret_key', randomAwsSecretKey(rng));
    const id = label('aws_access_key', randomAwsAccessKeyId(rng));
    return rng.pick([
      () => sample('[default]\naws_access_key_id = ', id, '\naws_secret_access_key = ', secret, '\nregion = eu-west-1\n'),
      () => sample('export AWS_SECRET_ACCESS_KEY=', secret, '\n'),
      () => sample('{\n  "AccessKeyId": "', id, '",\n  "SecretAccessKey": "', secret, '",\n  "Expiration": "2024-06-01T12:00:00Z"\n}'),
      () => sample("s3 = boto3.client('s3', aws_secret_access_key='", secret, "')"),
      () => sample('AWS_SECRET_ACCESS_KEY: "', secret, '"'),
    ])();
  },
  private_key: (rng) => rng.pick([
    () => sample('Here is the deploy key:\n\n', label('private_key', randomPrivateKey(rng, '\n')), '\n\nWhy does ssh reject it?'),
    () => sample('{"name": "deploy", "private_key": "', label('private_key', randomPrivateKey(rng, '\\n')), '\\n", "port": 22}'),
    () => sample('```\n', label('private_key', randomPrivateKey(rng, '\r\n')), '\n```'),
  ])(),
  jwt: (rng) => inContext(rng, label('jwt', randomJwt(rng)), 'access_token', [
    'curl -H "Authorization: Bearer {v}" https://api.example.com/me', 'The token {v} expired.', 'Cookie: session={v}; Path=/',
    'GET /callback?id_token={v}&state=af0ifjsldkj',
  ]),
  api_key: (rng) => {
    const key = randomApiKey(rng);
    return rng.pick([
      () => inContext(rng, label('api_key', key), 'api_key', ['Use {v} for the staging project.', 'my key is {v} — is it valid?', 'curl -H "Authorization: Bearer {v}" $URL']),
      () => sample(`${rng.pick(['OPENAI_API_KEY', 'GITHUB_TOKEN', 'STRIPE_SECRET', 'apiKey', 'token'])}=`, label('api_key', key), '\n'),
      () => sample(`client = Client(api_key="`, label('api_key', key), '")'),
    ])();
  },
  secret_assignment: (rng) => {
    const value = label('secret_assignment', randomSecretValue(rng));
    const name = rng.pick(['DB_PASSWORD', 'client_secret', 'apiSecret', 'AUTH_TOKEN', 'jwtSecret', 'SECRET_KEY', 'redis_password', 'webhookSigningKey', 'x-api-key', 'PRIVATE_TOKEN', 'passwd', 'encryption_key']);
    return rng.pick([
      () => sample(`${name}=`, value, '\n'),
      () => sample(`export ${name}="`, value, '"\n'),
      () => sample(`{"${name}": "`, value, '", "timeout": 30}'),
      () => sample(`config:\n  ${name}: `, value, '\n  retries: 3\n'),
      () => sample(`${name} = '`, value, "'\n"),
      () => sample(`connect(host="db.internal", ${name}="`, value, '")'),
      () => sample(`$config['${name}'] => '`, value, "';"),
      () => sample(`const ${name.replace(/-/g, '_')}: string = "`, value, '";'),
      () => sample(`${name}: `, value, ''),
      () => sample(`[database]\n${name} = "`, value, '"\n'),
      () => sample(`./deploy.sh --${name.toLowerCase().replace(/_/g, '-')}=`, value, ' --verbose'),
      () => sample('const client = new Client({ baseUrl, ', `${name.replace(/-/g, '_')}: "`, value, '" });'),
      () => sample('Authorization: Bearer ', value, '\n'),
    ])();
  },
};

/** Positives per type: enough that one miss moves recall by about one percent. */
const POSITIVES_PER_TYPE = 120;
const SEED = 0x5eed_0008;

/** The labelled set: every pattern type's positives, then the hard negatives. */
export function buildPiiCorpus(): PiiCorpus {
  const rng = seededRng(SEED);
  const samples: LabelledSample[] = [];
  for (const type of PATTERN_PII_TYPES) {
    const generate = POSITIVES[type];
    if (generate === undefined) throw new Error(`no generator for ${type}`);
    for (let i = 0; i < POSITIVES_PER_TYPE; i += 1) samples.push(generate(rng));
  }
  for (const text of hardNegatives(rng)) samples.push({ text, spans: [] });
  return { samples };
}

const key = (finding: Finding): string => `${finding.type}@${finding.start}:${finding.end}`;

/** Per type: exact-span matches (type, start and end) count as true positives; anything else is an error. */
export function scoreCorpus(scanner: PiiScanner, corpus: PiiCorpus): Record<string, TypeScore> {
  const counts = new Map<string, { tp: number; fp: number; fn: number }>();
  const countsOf = (type: string): { tp: number; fp: number; fn: number } => {
    let entry = counts.get(type);
    if (entry === undefined) counts.set(type, (entry = { tp: 0, fp: 0, fn: 0 }));
    return entry;
  };
  for (const type of PATTERN_PII_TYPES) countsOf(type);
  for (const { text, spans } of corpus.samples) {
    const expected = new Set(spans.map(key));
    const findings = scanner.scan(text);
    const found = new Set(findings.map(key));
    for (const finding of spans) countsOf(finding.type)[found.has(key(finding)) ? 'tp' : 'fn'] += 1;
    for (const finding of findings) if (!expected.has(key(finding))) countsOf(finding.type).fp += 1;
  }
  const scores: Record<string, TypeScore> = {};
  for (const [type, { tp, fp, fn }] of counts) {
    scores[type] = { tp, fp, fn, precision: tp + fp === 0 ? 1 : tp / (tp + fp), recall: tp + fn === 0 ? 1 : tp / (tp + fn), support: tp + fn };
  }
  return scores;
}
