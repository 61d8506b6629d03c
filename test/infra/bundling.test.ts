import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Stack } from 'aws-cdk-lib';
import { LlmGateway } from '../../lib';
import { SAMPLE_CONFIG, testApp } from './helpers';

/**
 * Real esbuild bundling (what `cdk synth` does), offline and without Docker: each function's asset
 * holds one minified CommonJS file and the gateway configuration next to it.
 */
describe('bundling', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatellm-bundling-'));
  afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

  test('ships index.js and gatellm.config.json in each function asset', () => {
    const app = testApp({ bundle: true, outdir });
    new LlmGateway(new Stack(app, 'Bundled', { env: { region: 'us-east-1' } }), 'Gateway', { config: SAMPLE_CONFIG });
    app.synth();

    const assets = fs
      .readdirSync(outdir)
      .filter((name) => name.startsWith('asset.'))
      .map((name) => path.join(outdir, name));
    expect(assets).toHaveLength(2);
    for (const asset of assets) {
      expect(fs.readdirSync(asset).sort()).toEqual(['gatellm.config.json', 'index.js']);
      expect(JSON.parse(fs.readFileSync(path.join(asset, 'gatellm.config.json'), 'utf8'))).toEqual(SAMPLE_CONFIG);
      const code = fs.readFileSync(path.join(asset, 'index.js'), 'utf8');
      expect(code).not.toMatch(/sourceMappingURL/);
      // The AWS SDK clients are bundled, not left to the runtime's copy. (The SDK's optional CRT signer
      // stays an unresolved require inside a try/catch: it is not installed and not needed.)
      expect(code).not.toMatch(/require\("@aws-sdk\/client-/);
    }
  }, 120_000);
});
