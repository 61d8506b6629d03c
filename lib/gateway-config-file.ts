import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { GatewayConfig } from '../lambda/config/gateway-config';

/** File name of the configuration inside the function's bundle; the handler reads `$LAMBDA_TASK_ROOT/<this>`. */
export const CONFIG_FILE_NAME = 'gatellm.config.json';

/** Thrown at synth time for configuration mistakes that would otherwise only surface on the first request. */
export class GatewayConfigError extends Error {
  constructor(field: string, problem: string) {
    super(`Invalid gateway configuration: ${field} ${problem}`);
    this.name = 'GatewayConfigError';
  }
}

/**
 * Cross-reference checks that need the whole configuration. Field-level validation (types, URLs,
 * prices) belongs to the runtime's config parser, which reads the same object at start-up.
 */
export function validateGatewayConfig(config: GatewayConfig): void {
  const providers = Object.keys(config.providers);
  if (providers.length === 0) throw new GatewayConfigError('providers', 'must declare at least one provider');
  for (const name of providers) {
    // Provider names become construct ids (secrets, outputs), where `/` separates path segments.
    if (name.length === 0 || name.includes('/')) throw new GatewayConfigError(`providers.${name}`, 'must be a non-empty name without "/"');
  }
  for (const [model, deployment] of Object.entries(config.models)) {
    if (!(deployment.provider in config.providers)) {
      throw new GatewayConfigError(
        `models.${model}.provider`,
        `names unknown provider '${deployment.provider}' (known: ${providers.join(', ')})`,
      );
    }
  }
  for (const [alias, targets] of Object.entries(config.aliases ?? {})) {
    targets.forEach((target, index) => {
      if (!(target in config.models)) throw new GatewayConfigError(`aliases.${alias}[${index}]`, `names unknown model '${target}'`);
    });
  }
}

/**
 * Writes the configuration to a file that the bundling hook copies next to the function code.
 * The name carries a hash of the content, so concurrent synths of different configurations never
 * share a file, and a changed configuration changes the bundle and therefore the deployed code.
 */
export function writeConfigFile(config: GatewayConfig): string {
  const content = `${JSON.stringify(config, null, 2)}\n`;
  const hash = crypto.createHash('sha256').update(content).digest('hex').slice(0, 16);
  const file = path.join(os.tmpdir(), `gatellm-config-${hash}.json`);
  fs.writeFileSync(file, content);
  return file;
}
