import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { killAll, listeningUrl, spawnGateway, stopGateway } from './gateway-process';

/** A newcomer's first start (issue 5, item 9): JSONC configuration, and warnings that name what to fix. */
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'gatellm-startup-'));
});
afterAll(() => {
  killAll();
  rmSync(dir, { recursive: true, force: true });
});

const JSONC_CONFIG = `{
  // Providers: where calls go.
  "providers": {
    "keyed": { "type": "openai", "baseUrl": "http://127.0.0.1:9/v1", "apiKey": { "env": "GATELLM_TEST_UNSET_KEY" } },
    /* A version path is missing here. */
    "unversioned": { "type": "openai", "baseUrl": "http://127.0.0.1:9", },
    "present": { "type": "openai", "baseUrl": "http://127.0.0.1:9/v1", "apiKey": { "env": "GATELLM_TEST_SET_KEY" } },
  },
  "models": {
    "m": { "provider": "keyed", "model": "m", "price": { "input": 1, "output": 1 } }, // trailing comma next
  },
}
`;

function writeConfig(name: string, text: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}

describe('starting the local server', () => {
  it('accepts comments and trailing commas, and warns once per unset key variable and per baseUrl without a version path', async () => {
    const gateway = spawnGateway({
      GATELLM_PORT: '0', GATELLM_DATA_DIR: path.join(dir, 'data-ok'), GATELLM_CONFIG: writeConfig('ok.jsonc', JSONC_CONFIG),
      GATELLM_TEST_SET_KEY: 'sk-present', GATELLM_TEST_UNSET_KEY: '',
    });
    await listeningUrl(gateway);
    expect(await stopGateway(gateway)).toBe(0);
    const warnings = gateway.stderr().split('\n').filter((line) => line.includes('warning'));
    expect(warnings.filter((line) => line.includes('GATELLM_TEST_UNSET_KEY'))).toHaveLength(1);
    expect(warnings.filter((line) => line.includes("'keyed'"))).toHaveLength(1);
    expect(warnings.some((line) => line.includes('GATELLM_TEST_SET_KEY'))).toBe(false);
    const versionWarnings = warnings.filter((line) => line.includes('version path'));
    expect(versionWarnings).toHaveLength(1);
    expect(versionWarnings[0]).toContain("'unversioned'");
    expect(versionWarnings[0]).toContain('http://127.0.0.1:9/v1');
  }, 30_000);

  it('reports a syntax error in the configuration with its file, line and column, and does not start', async () => {
    const file = writeConfig('broken.jsonc', '{\n  // fine so far\n  "providers": {\n    "a": { "type": "openai" "baseUrl": "x" }\n  }\n}\n');
    const gateway = spawnGateway({ GATELLM_PORT: '0', GATELLM_DATA_DIR: path.join(dir, 'data-broken'), GATELLM_CONFIG: file });
    expect(await gateway.exited).toBe(1);
    expect(gateway.stdout()).not.toContain('listening');
    expect(gateway.stderr()).toContain(`${file}:4:29: CommaExpected`);
  }, 30_000);
});
