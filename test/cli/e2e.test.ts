import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { killAll, listeningUrl, spawnGateway, stopGateway, type GatewayProcess } from '../local/gateway-process';
import { fakeServer, type FakeServer } from './cli-harness';
import { verifySigV4 } from './sigv4-verifier';

/** The built CLI, run as a person runs it: `node dist/cli/gatellm.mjs ...` against the built local server. */
const repoRoot = path.resolve(__dirname, '../..');
const CLI = path.join(repoRoot, 'dist/cli/gatellm.mjs');
const run = promisify(execFile);

function newestSource(dir: string): number {
  return Math.max(0, ...readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => statSync(path.join(entry.parentPath, entry.name)).mtimeMs));
}

/** Builds dist/cli when missing or older than its sources (lambda/cli, the shared admin API types, the CSV writer). */
function ensureCliBuilt(): void {
  const built = existsSync(CLI) ? statSync(CLI).mtimeMs : 0;
  const sources = Math.max(
    newestSource(path.join(repoRoot, 'lambda/cli')), newestSource(path.join(repoRoot, 'lambda/admin/api-types')),
    statSync(path.join(repoRoot, 'lambda/admin/csv.ts')).mtimeMs,
  );
  if (built < sources) execFileSync(process.execPath, ['scripts/build-cli.mjs'], { cwd: repoRoot, stdio: 'inherit' });
}

interface Result { code: number; stdout: string; stderr: string }

async function gatellm(args: readonly string[], env: Record<string, string> = {}): Promise<Result> {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args], {
      cwd: repoRoot, timeout: 15_000, env: { PATH: process.env.PATH ?? '', HOME: dir, NO_COLOR: '1', ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof failed.code === 'number' ? failed.code : -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

let dir: string;
let dataDir: string;
let gateway: GatewayProcess;
let baseUrl: string;

const CONFIG = {
  providers: { dead: { type: 'openai', baseUrl: 'http://127.0.0.1:9/v1', apiKey: { env: 'GATELLM_CLI_TEST_KEY' } } },
  models: { 'cli-model': { provider: 'dead', model: 'm', price: { input: 1, output: 2 } } },
};

beforeAll(async () => {
  ensureCliBuilt();
  dir = mkdtempSync(path.join(tmpdir(), 'gatellm-cli-e2e-'));
  dataDir = path.join(dir, 'data');
  writeFileSync(path.join(dir, 'config.json'), JSON.stringify(CONFIG));
  gateway = spawnGateway({ GATELLM_PORT: '0', GATELLM_DATA_DIR: dataDir, GATELLM_CONFIG: path.join(dir, 'config.json'), GATELLM_CLI_TEST_KEY: 'sk-test' });
  baseUrl = await listeningUrl(gateway);
  // server.json is written right after the banner: wait for it, as a person typing would.
  for (let tries = 0; tries < 100 && !existsSync(path.join(dataDir, 'server.json')); tries += 1) await new Promise((resolve) => setTimeout(resolve, 20));
}, 30_000);

afterAll(async () => {
  await stopGateway(gateway);
  killAll();
  rmSync(dir, { recursive: true, force: true });
});

describe('gatellm against a local gateway, found through --data-dir alone', () => {
  it('manages teams, users and keys, and exports usage', async () => {
    const at = ['--data-dir', dataDir];
    const team = await gatellm(['teams', 'create', 'platform', ...at]);
    expect(team.stderr).toBe('');
    expect(team.stdout).toMatch(/name:\s+platform/);

    const user = await gatellm(['users', 'create', '--team', 'platform', '--email', 'alice@example.com', '--name', 'Alice', ...at]);
    expect(user.stderr).toBe('');
    expect(user.stdout).toMatch(/email:\s+alice@example.com/);

    const created = await gatellm(['keys', 'create', '--user', 'alice@example.com', '--name', 'laptop', '--tag', 'env=dev', ...at]);
    expect(created.code).toBe(0);
    const secret = /secret:\s+(\S+)/.exec(created.stdout)?.[1] ?? '';
    const keyId = /^id:\s+(\S+)/m.exec(created.stdout)?.[1] ?? '';
    expect(created.stdout).toContain('Store it now');

    const listed = await gatellm(['keys', 'list', ...at]);
    expect(listed.stdout.split('\n')[0]).toMatch(/^ID\s+NAME\s+TEAM\s+OWNER\s+STATUS/);
    expect(listed.stdout).toMatch(new RegExp(`${keyId}\\s+laptop\\s+platform\\s+alice@example.com\\s+active`));
    expect(listed.stdout).not.toContain(secret);

    // One call through the gateway (its provider is unreachable) leaves a usage record to export.
    const call = await fetch(`${baseUrl}/v1/chat/completions`, {
      method: 'POST', headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'cli-model', messages: [{ role: 'user', content: 'hi' }], max_tokens: 5 }),
    });
    expect(call.status).toBeGreaterThanOrEqual(400);

    const rotated = await gatellm(['keys', 'rotate', keyId, '--grace', '1m', ...at]);
    expect(rotated.code).toBe(0);
    const newSecret = /secret:\s+(\S+)/.exec(rotated.stdout)?.[1];
    expect(newSecret).toBeDefined();
    expect(newSecret).not.toBe(secret);

    const revoked = await gatellm(['keys', 'revoke', keyId, ...at]);
    expect(revoked.stdout).toMatch(new RegExp(`^Key ${keyId} revoked`));
    expect((await gatellm(['keys', 'show', keyId, ...at])).stdout).toMatch(/status:\s+revoked/);

    const usage = await gatellm(['usage', '--json', '--group-by', 'team', ...at]);
    expect(JSON.parse(usage.stdout)).toMatchObject({ object: 'list', groupBy: ['team'] });

    const records = JSON.parse((await gatellm(['usage', 'records', '--json', ...at])).stdout) as { data: unknown[] };
    const out = path.join(dir, 'usage.csv');
    const exported = await gatellm(['usage', 'export', '--out', out, ...at]);
    expect(exported.code).toBe(0);
    expect(exported.stderr).toMatch(new RegExp(`^Exported ${records.data.length} records? in 1 page to `));
    const lines = readFileSync(out, 'utf8').trimEnd().split('\r\n');
    expect(lines[0]).toMatch(/^requestId,time,keyId,teamId/);
    expect(lines).toHaveLength(records.data.length + 1);
  }, 30_000);

  it('sets budgets and rate limits, and shows them with the audit trail and alerts', async () => {
    const at = ['--data-dir', dataDir];
    const budget = await gatellm(['budgets', 'create', '--scope', 'team', '--id', 'platform', '--limit-usd', '25', '--period', 'monthly', '--models', 'gpt-4o*', ...at]);
    expect(budget.stderr).toBe('');
    const budgetId = /^id:\s+(\S+)/m.exec(budget.stdout)?.[1] ?? '';
    expect(budget.stdout).toMatch(/limit:\s+\$25\.0000/);
    expect((await gatellm(['budgets', 'list', '--scope', 'team', '--id', 'platform', ...at])).stdout).toMatch(new RegExp(`${budgetId}\\s+team:team_\\w+\\s+\\$25\\.0000\\s+\\$0\\.0000\\s+monthly`));
    expect((await gatellm(['budgets', 'delete', budgetId, ...at])).stdout).toBe(`Budget ${budgetId} deleted.\n`);
    expect((await gatellm(['budgets', 'show', budgetId, ...at])).code).toBe(1);

    expect((await gatellm(['limits', 'set', 'team', 'platform', '--rpm', '100', '--concurrency', '5', ...at])).stdout).toMatch(/requests\/min:\s+100/);
    expect((await gatellm(['limits', 'list', ...at])).stdout).toMatch(/team\s+team_\w+\s+100\s+5/);
    expect((await gatellm(['limits', 'delete', 'team', 'platform', ...at])).code).toBe(0);

    const audit = await gatellm(['audit', '--csv', ...at]);
    const actions = audit.stdout.split('\r\n').slice(1).map((line) => line.split(',')[2]).filter((action) => action !== undefined);
    expect(actions).toEqual(expect.arrayContaining(['team.create', 'user.create', 'key.create', 'key.rotate', 'key.revoke', 'budget.create', 'budget.delete']));
    expect((await gatellm(['alerts', ...at])).stdout).toBe('(none)\n');
  }, 30_000);

  it('sets, lists and clears a team\'s data-protection rules, audited', async () => {
    const at = ['--data-dir', dataDir];
    expect((await gatellm(['teams', 'create', 'privacy', ...at])).code).toBe(0);
    const set = await gatellm(['pii', 'set', '--team', 'privacy', 'email=redact+restore', 'api_key=block', '*=log', ...at]);
    expect(set.stderr).toBe('');
    expect(set.stdout).toMatch(/^rules:\s+api_key=block email=redact\+restore \*=log$/m);

    const listed = await gatellm(['pii', 'list', ...at]);
    expect(listed.code).toBe(0);
    // The built-in defaults (no pii section in this configuration), then the override.
    expect(listed.stdout).toMatch(/^api_key\s+block$/m);
    expect(listed.stdout).toMatch(/^team\s+team_\w+\s+api_key=block email=redact\+restore \*=log\s+\S+$/m);

    const refused = await gatellm(['pii', 'set', '--team', 'privacy', 'passport=redact', ...at]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/unknown type 'passport'.*\(invalid_value, HTTP 400\)/);
    expect((await gatellm(['pii', 'set', '--team', 'privacy', 'jwt=block+restore', ...at])).code).toBe(2);

    expect(await gatellm(['pii', 'clear', '--team', 'privacy', ...at])).toEqual({ code: 0, stderr: '', stdout: 'Data-protection rules of team:privacy removed.\n' });
    expect(JSON.parse((await gatellm(['pii', 'list', '--json', ...at])).stdout)).toMatchObject({ object: 'pii_policies', policies: [] });
    expect((await gatellm(['pii', 'clear', '--team', 'privacy', ...at])).stderr).toMatch(/\(pii_policy_not_found, HTTP 404\)/);
    const audit = JSON.parse((await gatellm(['audit', '--json', ...at])).stdout) as { data: { action: string; target: string }[] };
    expect(audit.data.filter((entry) => entry.target.startsWith('pii:team:')).map((entry) => entry.action)).toEqual(['pii.delete', 'pii.put']);
  }, 30_000);

  it('a wrong token is an API error (exit 1), a bad command a usage error (exit 2)', async () => {
    const refused = await gatellm(['teams', 'list', '--data-dir', dataDir, '--token', 'wrong']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/\(invalid_api_key, HTTP 401\)/);
    expect((await gatellm(['teams', 'frobnicate', '--data-dir', dataDir])).code).toBe(2);
  });
});

describe('the bundle signs with SigV4 (its AWS modules loaded lazily)', () => {
  let verifier: FakeServer;
  afterAll(async () => { await verifier.close(); });

  it('is accepted by an independent verifier', async () => {
    const credentials = { accessKeyId: 'AKIDBUNDLE', secretAccessKey: 'bundle-secret', sessionToken: 'bundle-token' };
    verifier = await fakeServer((request) => (verifySigV4(request, { credentials, region: 'ap-southeast-2', service: 'execute-api' }) === undefined
      ? { body: { object: 'list', data: [] } }
      : { status: 403, body: { message: 'bad signature' } }));
    const result = await gatellm(['teams', 'list', '--url', verifier.url, '--auth', 'sigv4', '--region', 'ap-southeast-2'], {
      AWS_ACCESS_KEY_ID: credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey, AWS_SESSION_TOKEN: credentials.sessionToken,
      AWS_EC2_METADATA_DISABLED: 'true',
    });
    expect(result.stderr.replace(/\(node:\d+\)[\s\S]*$/, '')).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('(none)\n');
  });
});
