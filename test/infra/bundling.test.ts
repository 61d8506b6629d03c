import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Stack } from 'aws-cdk-lib';
import type { GatewayConfig } from '../../lambda/config/gateway-config';
import { parseGatewayConfig } from '../../lambda/config/validate-config';
import { LlmGateway } from '../../lib';
import { SAMPLE_CONFIG, testApp } from './helpers';

/** SAMPLE_CONFIG plus a provider header: what the gateway needs and the admin function must not see. */
const CONFIG_WITH_HEADERS: GatewayConfig = {
  ...SAMPLE_CONFIG,
  providers: {
    ...SAMPLE_CONFIG.providers,
    openai: { ...SAMPLE_CONFIG.providers.openai, type: 'openai', baseUrl: 'https://api.openai.com/v1', headers: { 'openai-organization': 'org-123' } },
  },
};

interface FunctionAsset {
  readonly config: GatewayConfig;
  readonly code: string;
  readonly codeMode: number;
}

/**
 * A real synth (what `cdk synth` does), offline and without Docker, with the system temporary
 * directory pointed at an empty private one so that anything synth leaves behind there is seen.
 */
function synthToAssets(config: GatewayConfig): { assets: readonly FunctionAsset[]; leftInTmp: readonly string[] } {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatellm-bundling-out-'));
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gatellm-bundling-tmp-'));
  const previousTmp = process.env.TMPDIR;
  process.env.TMPDIR = tmp;
  try {
    const app = testApp({ outdir });
    new LlmGateway(new Stack(app, 'Bundled', { env: { region: 'us-east-1' } }), 'Gateway', { config });
    app.synth();
    const assets = fs
      .readdirSync(outdir)
      .filter((name) => name.startsWith('asset.'))
      .map((name): FunctionAsset => {
        const dir = path.join(outdir, name);
        expect(fs.readdirSync(dir).sort()).toEqual(['gatellm.config.json', 'index.js']);
        return {
          config: JSON.parse(fs.readFileSync(path.join(dir, 'gatellm.config.json'), 'utf8')) as GatewayConfig,
          code: fs.readFileSync(path.join(dir, 'index.js'), 'utf8'),
          codeMode: fs.statSync(path.join(dir, 'index.js')).mode,
        };
      });
    return { assets, leftInTmp: fs.readdirSync(tmp) };
  } finally {
    if (previousTmp === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previousTmp;
    fs.rmSync(outdir, { recursive: true, force: true });
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

describe('bundling', () => {
  let assets: readonly FunctionAsset[] = [];
  let leftInTmp: readonly string[] = [];
  let gateway: FunctionAsset | undefined;
  let admin: FunctionAsset | undefined;
  beforeAll(() => {
    ({ assets, leftInTmp } = synthToAssets(CONFIG_WITH_HEADERS));
    gateway = assets.find((asset) => asset.config.providers.openai?.headers !== undefined);
    admin = assets.find((asset) => asset !== gateway);
  }, 120_000);

  test('ships one minified CommonJS index.js with the AWS SDK inside and gatellm.config.json in each function asset', () => {
    expect(assets).toHaveLength(2);
    for (const asset of assets) {
      expect(asset.code).not.toMatch(/sourceMappingURL/);
      expect(asset.code).toMatch(/exports|module\.exports/);
      // The AWS SDK clients are bundled, not left to the runtime's copy. (The SDK's optional CRT signer
      // stays an unresolved require inside a try/catch: it is not installed and not needed.)
      expect(asset.code).not.toMatch(/require\("@aws-sdk\/client-/);
      // Lambda runs the code as a non-root user: the files must be world-readable inside the zip.
      expect(asset.codeMode & 0o444).toBe(0o444);
    }
  });

  test('the gateway gets the whole configuration as the runtime parser reads it', () => {
    expect(gateway?.config).toEqual(parseGatewayConfig(CONFIG_WITH_HEADERS));
  });

  test("the admin function's configuration has no provider headers and no key sources, and still parses", () => {
    expect(admin).toBeDefined();
    const providers = Object.values(admin?.config.providers ?? {});
    expect(providers).toHaveLength(4);
    for (const provider of providers) {
      expect(provider).not.toHaveProperty('headers');
      expect(provider).not.toHaveProperty('apiKey');
    }
    expect(JSON.stringify(admin?.config)).not.toMatch(/org-123|OPENAI_API_KEY|groq-AbC123/);
    expect(admin?.config.models).toEqual(parseGatewayConfig(CONFIG_WITH_HEADERS).models);
    expect(() => parseGatewayConfig(admin?.config)).not.toThrow();
  });

  test('synth leaves nothing behind in the temporary directory', () => {
    expect(leftInTmp).toEqual([]);
  });
});
