import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { GatewayConfig } from '../../lambda/config/gateway-config';
import { LlmGateway, type LlmGatewayProps } from '../../lib';

const cdkJson = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'cdk.json'), 'utf8')) as {
  context: Record<string, unknown>;
};

/** The feature flags the CLI passes from cdk.json (jest's `new App()` does not read it). */
const FEATURE_FLAGS: Readonly<Record<string, unknown>> = cdkJson.context;

/** Cloud assembly directories of this test file's apps, removed when the file is done. */
const assemblyDirs: string[] = [];
afterAll(() => {
  for (const dir of assemblyDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/**
 * An app with the project's feature flags. The function code is real: from the source tree the
 * construct bundles both handlers with esbuild in memory, once per test file, and CDK copies it into
 * the app's cloud assembly — a directory of its own, removed after the test file (CDK's default
 * temporary outdir would be left behind).
 */
export function testApp(options: { outdir?: string } = {}): App {
  let outdir = options.outdir;
  if (outdir === undefined) {
    outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatellm-test-assembly-'));
    assemblyDirs.push(outdir);
  }
  return new App({ context: { ...FEATURE_FLAGS }, outdir });
}

export const SAMPLE_CONFIG: GatewayConfig = {
  providers: {
    openai: { type: 'openai', baseUrl: 'https://api.openai.com/v1', apiKey: { env: 'OPENAI_API_KEY' } },
    groq: {
      type: 'openai',
      baseUrl: 'https://api.groq.com/openai/v1',
      apiKey: { secretId: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:team/groq-AbC123' },
    },
    together: { type: 'openai', baseUrl: 'https://api.together.xyz/v1', apiKey: { secretId: 'shared/together-key' } },
    vllm: { type: 'openai', baseUrl: 'http://vllm.internal:8000/v1' },
  },
  models: {
    'gpt-4o-mini': { provider: 'openai', model: 'gpt-4o-mini', price: { input: 0.15, output: 0.6, cachedInput: 0.075 } },
    'llama-3.3-70b': { provider: 'groq', model: 'llama-3.3-70b-versatile', price: { input: 0.59, output: 0.79 } },
    'qwen-local': { provider: 'vllm', model: 'Qwen/Qwen3-8B', price: { input: 0, output: 0 } },
  },
  aliases: { fast: ['llama-3.3-70b', 'gpt-4o-mini'] },
};

export interface SynthResult {
  readonly app: App;
  readonly stack: Stack;
  readonly gateway: LlmGateway;
  readonly template: Template;
}

export function synthGateway(props: Partial<LlmGatewayProps> = {}): SynthResult {
  const app = testApp();
  const stack = new Stack(app, 'TestStack', { env: { region: 'us-east-1' } });
  const gateway = new LlmGateway(stack, 'Gateway', { config: SAMPLE_CONFIG, ...props });
  return { app, stack, gateway, template: Template.fromStack(stack) };
}

/** Logical id of the single resource of `type` whose logical id contains `fragment`. */
export function logicalId(template: Template, type: string, fragment: string): string {
  const ids = Object.keys(template.findResources(type)).filter((id) => id.includes(fragment));
  if (ids.length !== 1) throw new Error(`expected one ${type} matching ${fragment}, found ${ids.join(', ') || 'none'}`);
  return ids[0] as string;
}
