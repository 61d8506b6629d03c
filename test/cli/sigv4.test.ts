import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { adminUrl } from '../../lambda/cli/client';
import { regionFromHost, resolveTarget } from '../../lambda/cli/target';
import { fakeServer, runInProcess, type FakeServer, type SeenRequest } from './cli-harness';
import { verifySigV4, type Credentials } from './sigv4-verifier';

const ENV_CREDENTIALS: Credentials = { accessKeyId: 'AKIDENVEXAMPLE', secretAccessKey: 'env/secret+key', sessionToken: 'env-session-token' };
const PROFILE_CREDENTIALS: Credentials = { accessKeyId: 'AKIDPROFILEEXAMPLE', secretAccessKey: 'profile/secret', sessionToken: 'profile-session' };
const AWS_VARIABLES = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE', 'AWS_SHARED_CREDENTIALS_FILE', 'AWS_CONFIG_FILE', 'AWS_EC2_METADATA_DISABLED', 'AWS_REGION'];

let dir: string;
let saved: Record<string, string | undefined>;
let server: FakeServer;
let expected: Credentials;
let region: string;

/** Answers like API Gateway: 403 with its `{message}` when the signature is wrong. */
function verifyingServer(): Promise<FakeServer> {
  return fakeServer((request) => {
    const refusal = verifySigV4(request, { credentials: expected, region, service: 'execute-api' });
    if (refusal !== undefined) return { status: 403, body: { message: `The request signature we calculated does not match: ${refusal}` } };
    return { body: request.method === 'POST' ? { id: 'k1', prefix: 'gllm_k1', teamId: 't1', owner: 'team', status: 'active', createdAt: 'now', key: 'gllm_secret' } : { object: 'list', data: [] } };
  });
}

beforeAll(async () => {
  saved = Object.fromEntries(AWS_VARIABLES.map((name) => [name, process.env[name]]));
  dir = await mkdtemp(path.join(tmpdir(), 'gatellm-sigv4-'));
  server = await verifyingServer();
});
afterAll(async () => {
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) Reflect.deleteProperty(process.env, name);
    else process.env[name] = value;
  }
  await server.close();
  await rm(dir, { recursive: true, force: true });
});
beforeEach(() => {
  for (const name of AWS_VARIABLES) Reflect.deleteProperty(process.env, name);
  // No shared files but the test's own, and no instance-metadata probe if the chain falls through.
  process.env.AWS_SHARED_CREDENTIALS_FILE = path.join(dir, 'none');
  process.env.AWS_CONFIG_FILE = path.join(dir, 'none');
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
  server.requests.length = 0;
});

const base = (): string => `${server.url}/prod`;

describe('SigV4 signing, checked by an independent verifier', () => {
  it('signs GETs (query and an encoded path segment) and a POST body with credentials from the environment', async () => {
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: ENV_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: ENV_CREDENTIALS.secretAccessKey, AWS_SESSION_TOKEN: ENV_CREDENTIALS.sessionToken });
    expected = ENV_CREDENTIALS;
    region = 'us-east-1';
    const common = ['--url', base(), '--auth', 'sigv4', '--region', region];
    const usage = await runInProcess(['usage', ...common, '--team', 'platform team', '--from', '2026-12-01', '--group-by', 'model,day']);
    expect(usage.stderr).toBe('');
    expect(usage.code).toBe(0);
    const team = await runInProcess(['teams', 'show', 'platform team', ...common]);
    expect(team.code).toBe(0);
    const created = await runInProcess(['keys', 'create', ...common, '--team', 't1', '--name', 'ci', '--tag', 'env=prod']);
    expect(created.stderr).toBe('');
    expect(created.stdout).toContain('gllm_secret');
    expect(server.requests.map((request) => `${request.method} ${request.url.split('?')[0] ?? ''}`)).toEqual([
      'GET /prod/admin/v1/usage', 'GET /prod/admin/v1/teams/platform%20team', 'POST /prod/admin/v1/keys',
    ]);
    expect(server.requests.every((request) => request.headers['x-amz-security-token'] === ENV_CREDENTIALS.sessionToken)).toBe(true);
    expect(server.requests.every((request) => request.headers.authorization?.includes('/us-east-1/execute-api/aws4_request'))).toBe(true);
  });

  it('uses a named profile from the shared files', async () => {
    const credentialsFile = path.join(dir, 'credentials');
    await writeFile(credentialsFile, `[ci-admin]\naws_access_key_id = ${PROFILE_CREDENTIALS.accessKeyId}\naws_secret_access_key = ${PROFILE_CREDENTIALS.secretAccessKey}\naws_session_token = ${PROFILE_CREDENTIALS.sessionToken ?? ''}\n`);
    await writeFile(path.join(dir, 'config'), '[profile ci-admin]\nregion = eu-west-1\n');
    process.env.AWS_SHARED_CREDENTIALS_FILE = credentialsFile;
    process.env.AWS_CONFIG_FILE = path.join(dir, 'config');
    expected = PROFILE_CREDENTIALS;
    region = 'eu-west-1';
    const run = await runInProcess(['keys', 'list', '--url', base(), '--auth', 'sigv4', '--region', region, '--profile', 'ci-admin', '--team', 'a b']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(server.requests[0]?.headers.authorization).toContain(`Credential=${PROFILE_CREDENTIALS.accessKeyId}/`);
  });

  it('the verifier refuses a tampered body, query or path, and wrong credentials reach the user as exit 1', async () => {
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: ENV_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: ENV_CREDENTIALS.secretAccessKey, AWS_SESSION_TOKEN: ENV_CREDENTIALS.sessionToken });
    expected = ENV_CREDENTIALS;
    region = 'us-east-1';
    const run = await runInProcess(['keys', 'create', '--url', base(), '--auth', 'sigv4', '--region', region, '--team', 't1']);
    expect(run.code).toBe(0);
    const signed = server.requests[0] as SeenRequest;
    const check = (request: SeenRequest): string | undefined => verifySigV4(request, { credentials: ENV_CREDENTIALS, region, service: 'execute-api' });
    expect(check(signed)).toBeUndefined();
    expect(check({ ...signed, body: signed.body.replace('t1', 't2') })).toBe('signature mismatch');
    expect(check({ ...signed, url: `${signed.url}?team=x` })).toBe('signature mismatch');
    expect(check({ ...signed, url: signed.url.replace('keys', 'teams') })).toBe('signature mismatch');

    expected = { ...ENV_CREDENTIALS, secretAccessKey: 'a different secret' };
    const refused = await runInProcess(['teams', 'list', '--url', base(), '--auth', 'sigv4', '--region', region]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^error: The request signature we calculated does not match: signature mismatch \(forbidden, HTTP 403\)\n$/);
  });
});

describe('choosing the target', () => {
  it('signs for an https execute-api URL, its region read from the host, and joins admin paths after the stage', async () => {
    const target = await resolveTarget({ url: 'https://abc123.execute-api.eu-central-1.amazonaws.com/prod/' }, {}, dir);
    expect(target.auth).toEqual({ kind: 'sigv4', region: 'eu-central-1' });
    expect(regionFromHost('abc.execute-api.cn-north-1.amazonaws.com.cn')).toBe('cn-north-1');
    expect(adminUrl('https://h/prod/', '/keys', { team: 'a b', user: undefined }).toString()).toBe('https://h/prod/admin/v1/keys?team=a+b');
    expect(adminUrl('https://h/prod/admin/v1', '/keys').pathname).toBe('/prod/admin/v1/keys');
  });

  it('uses the token for http, from the flag, the environment, or the data directory', async () => {
    await writeFile(path.join(dir, 'admin-token'), 'from-file\n');
    await writeFile(path.join(dir, 'server.json'), JSON.stringify({ url: 'http://127.0.0.1:8787', pid: 1 }));
    expect(await resolveTarget({ 'data-dir': dir }, {}, '/')).toEqual({ url: 'http://127.0.0.1:8787', auth: { kind: 'token', token: 'from-file' } });
    expect((await resolveTarget({ 'data-dir': dir }, { GATELLM_ADMIN_TOKEN: 'from-env' }, '/')).auth).toEqual({ kind: 'token', token: 'from-env' });
    expect((await resolveTarget({}, { GATELLM_DATA_DIR: dir }, '/')).url).toBe('http://127.0.0.1:8787');
  });
});
