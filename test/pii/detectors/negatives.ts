/**
 * Hard negatives: text prompts are full of that contains no personal data and no credential, but looks
 * number-, key- or address-shaped. Each entry is one sample; values are varied by a seeded PRNG.
 */
import { ALNUM, BASE64, DIGITS, HEX, luhnComplete, type Rng } from './generators';
import { CODE_SNIPPETS } from './snippets';

const uuid = (rng: Rng): string =>
  `${rng.chars(HEX, 8)}-${rng.chars(HEX, 4)}-4${rng.chars(HEX, 3)}-${rng.pick(['8', '9', 'a', 'b'])}${rng.chars(HEX, 3)}-${rng.chars(HEX, 12)}`;
const isoTime = (rng: Rng): string =>
  `20${rng.int(19, 26)}-${String(rng.int(1, 12)).padStart(2, '0')}-${String(rng.int(1, 28)).padStart(2, '0')}T${String(rng.int(0, 23)).padStart(2, '0')}:${String(rng.int(0, 59)).padStart(2, '0')}:${String(rng.int(0, 59)).padStart(2, '0')}${rng.pick(['Z', '.123Z', '+02:00', '.482913Z'])}`;
const version = (rng: Rng): string => `${rng.int(0, 20)}.${rng.int(0, 40)}.${rng.int(0, 200)}`;
const bigInt = (rng: Rng, digits: number): string => `${rng.int(1, 9)}${rng.chars(DIGITS, digits - 1)}`;

/** A 16-digit number that fails the Luhn check (and so is no card, whatever its prefix). */
function notLuhn(rng: Rng): string {
  const valid = luhnComplete(`4${rng.chars(DIGITS, 14)}`);
  return `${valid.slice(0, 15)}${(Number(valid[15]) + rng.int(1, 9)) % 10}`;
}

const GENERATED: readonly ((rng: Rng) => string)[] = [
  (rng) => `Request ${uuid(rng)} failed; retrying as ${uuid(rng)}.`,
  (rng) => `{"trace_id": "${rng.chars(HEX, 32)}", "span_id": "${rng.chars(HEX, 16)}", "parent": "${uuid(rng)}"}`,
  (rng) => `commit ${rng.chars(HEX, 40)}\nMerge: ${rng.chars(HEX, 7)} ${rng.chars(HEX, 7)}\nDate:   ${isoTime(rng)}\n\n    fix: handle empty body (#${rng.int(100, 9999)})`,
  (rng) => `${rng.chars(HEX, 7)} (HEAD -> main, origin/main) chore: bump deps\n${rng.chars(HEX, 12)} feat: retry on 429`,
  (rng) => `Deployed at ${isoTime(rng)} (epoch ${rng.int(1_600_000_000, 1_800_000_000)}, ${rng.int(1_600_000_000, 1_800_000_000)}${rng.chars(DIGITS, 3)} ms).`,
  (rng) => `"created": ${rng.int(1_600_000_000, 1_800_000_000)}${rng.chars(DIGITS, 6)}, "modified": ${rng.int(1_600_000_000, 1_800_000_000)}${rng.chars(DIGITS, 9)}`,
  (rng) => `Upgrade from ${version(rng)} to v${version(rng)}; requires node >= ${rng.int(16, 24)}.${rng.int(0, 9)}.0 and npm@${version(rng)}.`,
  (rng) => `pip install fastapi==${version(rng)}.${rng.int(0, 9)} uvicorn~=${version(rng)}`,
  (rng) => `[assembly: AssemblyVersion("${rng.int(1, 9)}.0.${rng.int(0, 9)}.${rng.int(0, 99)}")]\n[assembly: AssemblyFileVersion("${rng.int(1, 9)}.${rng.int(0, 9)}.${rng.int(0, 9)}.${rng.int(0, 255)}")]`,
  (rng) => `User-Agent: Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/${rng.int(100, 130)}.0.${rng.int(1000, 6999)}.${rng.int(10, 200)} Safari/537.36`,
  (rng) => `Running version ${rng.int(1, 9)}.${rng.int(0, 9)}.${rng.int(0, 9)}.${rng.int(0, 9)} of the firmware (build ${rng.int(1000, 9999)}).`,
  (rng) => `Order ORD-${rng.int(2019, 2026)}-${rng.chars(DIGITS, 6)} and invoice INV-${rng.chars(DIGITS, 9)} were shipped; PO ${bigInt(rng, 10)}.`,
  (rng) => `Order #${bigInt(rng, rng.int(8, 12))} total: $${rng.int(1, 9)},${rng.chars(DIGITS, 3)}.${rng.chars(DIGITS, 2)} (tax €${rng.int(10, 999)},${rng.chars(DIGITS, 2)}).`,
  (rng) => `Prices: 1 ${rng.chars(DIGITS, 3)} ${rng.chars(DIGITS, 3)},${rng.chars(DIGITS, 2)} € | ${rng.int(1, 99)}.${rng.chars(DIGITS, 3)}.${rng.chars(DIGITS, 3)} ₫ | ¥${rng.int(1000, 99999)}`,
  (rng) => `{"id": ${bigInt(rng, rng.int(15, 19))}, "user_id": 1${rng.chars(DIGITS, 17)}, "count": ${bigInt(rng, rng.int(5, 9))}}`,
  (rng) => `const MAX = ${bigInt(rng, 16)}n; // ${bigInt(rng, 20)} overflows u64`,
  (rng) => `Tracking: 1Z${rng.chars('ABCDEFGHJKLMNPRSTUVWXYZ0123456789', 16)} / ${bigInt(rng, 12)} / ${bigInt(rng, 22)}`,
  (rng) => `Account ${notLuhn(rng)} was rejected (checksum).`,
  (rng) => `Reference numbers ${rng.int(0, 1) === 0 ? '000' : '666'}-${rng.chars(DIGITS, 2)}-${rng.chars(DIGITS, 4)} and 9${rng.chars(DIGITS, 2)}-${rng.chars(DIGITS, 2)}-${rng.chars(DIGITS, 4)} are not issued.`,
  (rng) => `.btn-primary { color: #${rng.chars(HEX, 6)}; background: #${rng.chars(HEX, 3)}; border: 1px solid rgba(${rng.int(0, 255)}, ${rng.int(0, 255)}, 0, .5); }\n@media (max-width: 768px) { .grid { gap: 12px 24px; } }`,
  (rng) => `GET https://api.example.com/v2/search?q=shoes&page=${rng.int(1, 40)}&per_page=50&sort=price_asc&session=${rng.chars(HEX, 8)}&ts=${rng.int(1_600_000_000, 1_800_000_000)}`,
  (rng) => `https://www.youtube.com/watch?v=${rng.chars(ALNUM, 11)}&t=${rng.int(10, 999)}s and https://maps.example.com/@${rng.int(10, 60)}.${rng.chars(DIGITS, 7)},${rng.int(-120, 120)}.${rng.chars(DIGITS, 7)},15z`,
  () => `@Component({ selector: 'app-root' })\nexport class AppComponent { @Input() name = ''; @Output() changed = new EventEmitter(); }`,
  () => 'git clone git@github.com:acme/payments-service.git && git remote add upstream git@gitlab.com:acme/payments.git',
  (rng) => `docker pull ghcr.io/acme/api@sha256:${rng.chars(HEX, 64)}\nnpm i @types/node@${version(rng)} lodash@^${version(rng)}`,
  () => 'Use @media queries, @import url("theme.css"), and image@2x.png / logo@3x.jpg for retina; ping @here or @channel.',
  (rng) => `API_KEY=your-api-key-here\nSECRET_KEY=\${SECRET_KEY}\nDB_PASSWORD=changeme\nTOKEN=<token>\nAUTH_TOKEN=xxxxxxxxxxxxxxxxxxxx\nSTRIPE_KEY=sk_test_XXXXXXXXXXXXXXXXXXXXXXXX\nsession_id=${uuid(rng)}`,
  () => 'const apiKey = process.env.OPENAI_API_KEY;\nconst secret = config.get("auth.secret");\npassword = os.environ["DB_PASSWORD"]\ntoken := os.Getenv("GITHUB_TOKEN")',
  () => 'api_key: "{{ .Values.apiKey }}"\nclient_secret: ${{ secrets.CLIENT_SECRET }}\npassword: "%(db_password)s"\ntoken: [REDACTED]\nsecret_key_base: <%= ENV["SECRET_KEY_BASE"] %>',
  (rng) => `{"apiKeyId": "${uuid(rng)}", "tokenType": "Bearer", "keyFile": "/etc/ssl/private/server.key", "max_tokens": ${rng.int(256, 8192)}, "cacheKey": "${rng.chars(HEX, 40)}"}`,
  (rng) => `secret_name = "prod/payments/db-${rng.chars(ALNUM, 6)}"\nsecret_arn = "arn:aws:secretsmanager:eu-west-1:${rng.chars(DIGITS, 12)}:secret:prod/db-${rng.chars(ALNUM, 6)}"`,
  (rng) => `-----BEGIN PUBLIC KEY-----\n${rng.chars(BASE64, 64)}\n${rng.chars(BASE64, 64)}\n${rng.chars(BASE64, 20)}==\n-----END PUBLIC KEY-----\n-----BEGIN CERTIFICATE-----\n${rng.chars(BASE64, 64)}\n-----END CERTIFICATE-----`,
  () => "if (pem.startsWith('-----BEGIN RSA PRIVATE KEY-----')) return parseRsa(pem); // PKCS#1\nconst FOOTER = '-----END RSA PRIVATE KEY-----';",
  (rng) => `<img alt="chart" src="data:image/png;base64,${rng.chars(BASE64, rng.int(1500, 6000))}==" />`,
  (rng) => `"image": {"type": "base64", "media_type": "image/jpeg", "data": "/9j/4AAQSkZJRgABAQ${rng.chars(BASE64, rng.int(2000, 8000))}"}`,
  (rng) => `${rng.chars(BASE64, 76)}\n${rng.chars(BASE64, 76)}\n${rng.chars(BASE64, 76)}\n${rng.chars(BASE64, 40)}=`,
  (rng) => `eyJ${rng.chars(BASE64, 40)} is base64 of JSON but not a token, and eyJ0eXAiOiJKV1QifQ.${rng.chars(ALNUM, 20)} lacks a signature.`,
  (rng) => `Interface eth0: HWaddr ${Array.from({ length: 6 }, () => rng.chars(HEX, 2)).join(':')}; uptime ${rng.int(1, 23)}:${rng.int(10, 59)}:${rng.int(10, 59)}`,
  () => 'std::vector<int> v; std::map<std::string, int> m; auto x = Foo::bar(); impl Default for Config {} let y = a[1::2]; Vec::<u8>::new()',
  (rng) => `Located at ${rng.int(-80, 80)}.${rng.chars(DIGITS, 6)}, ${rng.int(-170, 170)}.${rng.chars(DIGITS, 6)} (alt ${rng.int(1, 3000)} m).`,
  (rng) => `ISBN 978-${rng.int(0, 9)}-${rng.chars(DIGITS, 2)}-${rng.chars(DIGITS, 6)}-${rng.int(0, 9)}; DOI 10.${rng.chars(DIGITS, 4)}/${rng.chars(ALNUM, 8)}`,
  (rng) => `Meeting on ${rng.int(1, 28)}/${rng.int(1, 12)}/20${rng.int(20, 26)} at ${rng.int(9, 17)}:${rng.pick(['00', '30'])}, or ${String(rng.int(1, 28)).padStart(2, '0')}.${String(rng.int(1, 12)).padStart(2, '0')}.20${rng.int(20, 26)}; ZIP ${rng.chars(DIGITS, 5)}-${rng.chars(DIGITS, 4)}.`,
  (rng) => `-rw-r--r--  1 dev  staff  ${rng.int(100, 9_999_999)} ${rng.pick(['Jan', 'Mar', 'Oct'])} ${rng.int(1, 28)} ${rng.int(10, 23)}:${rng.int(10, 59)} package-lock.json\ntotal ${rng.int(10, 9999)}`,
  (rng) => `CONTAINER ID   IMAGE          CREATED       PORTS\n${rng.chars(HEX, 12)}   postgres:16    ${rng.int(2, 9)} hours ago   5432/tcp`,
  (rng) => `    at Object.<anonymous> (/app/src/routes/users.ts:${rng.int(10, 400)}:${rng.int(1, 80)})\n    at processTicksAndRejections (node:internal/process/task_queues:${rng.int(50, 99)}:${rng.int(1, 9)})`,
  (rng) => `@@ -${rng.int(1, 300)},${rng.int(1, 20)} +${rng.int(1, 300)},${rng.int(1, 20)} @@ export function retry(\n-  const delayMs = ${rng.int(100, 999)};\n+  const delayMs = ${rng.int(100, 999)} * 2 ** attempt;\n+  const jitter = Math.random() * ${rng.int(10, 99)};`,
  (rng) => `Duration: ${rng.int(1, 999)}.${rng.chars(DIGITS, 2)} ms  Billed: ${rng.int(1, 999)} ms  Memory: ${rng.int(128, 1024)} MB  Max Used: ${rng.int(50, 128)} MB  Init: ${rng.int(100, 999)}.${rng.chars(DIGITS, 2)} ms`,
  (rng) => `Results: ${Array.from({ length: 12 }, () => rng.int(0, 9999)).join(' ')} (n=${rng.int(10, 99)}, p<0.0${rng.int(1, 5)})`,
  (rng) => `The matrix is [[${rng.int(1, 99)}, ${rng.int(1, 99)}], [${rng.int(1, 99)}, ${rng.int(1, 99)}]] and 10^${rng.int(10, 20)} = 1${'0'.repeat(rng.int(10, 20))}.`,
  (rng) => `"integrity": "sha512-${rng.chars(BASE64, 86)}==", "resolved": "https://registry.npmjs.org/left-pad/-/left-pad-${version(rng)}.tgz"`,
  (rng) => `fingerprint SHA256:${rng.chars(BASE64, 43)} (ED25519); ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI${rng.chars(BASE64, 43)} deploy@ci`,
  (rng) => `| Quarter | Revenue | Units |\n|---|---|---|\n| Q${rng.int(1, 4)} | 1 ${rng.chars(DIGITS, 3)} ${rng.chars(DIGITS, 3)} | ${rng.int(1000, 9999)} ${rng.int(100, 999)} |`,
  (rng) => `print(f"{value:08.3f}") -> ${rng.int(1000, 9999)}.${rng.chars(DIGITS, 3)}; log at 12:30:45,${rng.chars(DIGITS, 3)}; room 0${rng.chars(DIGITS, 3)} ${rng.chars(DIGITS, 4)}`,
  () => 'Log in as root@server01, admin@localhost or deploy@build-host; type x :: Int; :symbol; a ? b : c',
  () => 'password: "********"\ntoken: null\n"password": ""\napiKey: string;\ngetToken(): string {}\nprivate readonly secretKey = "my_secret_key_name";\nAPI_KEY=sk-your-key-here',
  () => 'SLACK_TOKEN=xoxb-your-token, model: claude-3-5-sonnet-20241022, .sk-loader-container-with-long-name, gh_pages_deploy_branch_name, hf_hub_download_from_repository, npm_config_cache_directory_path',
  () => 'httpAuthSchemes: config?.httpAuthSchemes ?? [],\nexports.HttpApiKeyAuthSigner = HttpApiKeyAuthSigner;\nconst X_AWS_EC2_METADATA_TOKEN = "x-aws-ec2-metadata-token";\nconst CREDENTIAL_QUERY_PARAM = "X-Amz-Credential";\nlet key = `AWS4${credentials.secretAccessKey}`;',
  () => '[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n# the values AWS documentation uses',
  () => 'Dates must conform to RFC 7231 section 7.1.1.1 (rfc7231.html#section-7.1.1.1; see also §4.2.1.3).',
  (rng) => `server.listen(${rng.int(1024, 65535)}, '127.0.0.1'); bind 0.0.0.0:${rng.int(80, 9000)} and [::1]:${rng.int(80, 9000)}; IMDS at http://169.254.169.254/latest/api/token, ECS at 169.254.170.2`,
  (rng) => `subnet 192.0.2.${rng.int(0, 255)}/24, docs 198.51.100.${rng.int(0, 255)} and 203.0.113.${rng.int(0, 255)}, 2001:db8::${rng.chars(HEX, 4)}, netmask 255.255.${rng.pick(['255', '240', '0'])}.0, mDNS 224.0.0.251, ff02::fb`,
  (rng) => `const colors = ['#${rng.chars(HEX, 6)}', '#${rng.chars(HEX, 6)}', '#${rng.chars(HEX, 8)}']; const id = 0x${rng.chars(HEX, 8)}; const big = 0x${rng.chars(HEX, 16)}n;`,
];

const ROUNDS = 8;

/** Every hard negative: fixed texts once each, generated noise in several variants of each kind. */
export function hardNegatives(rng: Rng): string[] {
  const samples: string[] = [...CODE_SNIPPETS];
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const generate of GENERATED) if (round === 0 || generate.length > 0) samples.push(generate(rng));
  }
  return samples;
}
