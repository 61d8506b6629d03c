import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Stage } from 'aws-cdk-lib';
import * as cxapi from 'aws-cdk-lib/cx-api';
import type { IConstruct } from 'constructs';

/** Prefix of every directory GateLLM's synth creates in the system's temporary directory. */
export const STAGING_DIR_PREFIX = 'gatellm-asset-';

/**
 * Writes `files` into a fresh private directory, lets `use` turn it into an asset, and removes it again.
 *
 * The directory is created by mkdtemp, which makes it 0700: no other user can list it or open anything
 * inside, whatever the files' own modes. The files themselves are 0644 on purpose: CDK copies them into
 * the cloud assembly with their modes, the asset zip keeps those modes, and Lambda must be able to read
 * its code as a non-root user (a 0600 index.js fails every cold start with EACCES).
 *
 * `use` must create the construct that stages the asset: CDK copies an asset into the cloud assembly
 * synchronously when the asset is bound (for a Lambda function, in its constructor), so once `use`
 * returns the directory is no longer needed and is deleted before synth goes on. The one exception is
 * `cdk synth --no-staging` (as SAM local uses): the assembly then points at the source directory itself,
 * so the directory is created inside the assembly output directory and left there.
 */
export function withPrivateStagingDir<T>(
  scope: IConstruct,
  files: Readonly<Record<string, string | Uint8Array>>,
  use: (dir: string) => T,
): T {
  const stagingDisabled = Boolean(scope.node.tryGetContext(cxapi.DISABLE_ASSET_STAGING_CONTEXT));
  const parent = stagingDisabled ? assemblyAssetDir(scope) : os.tmpdir();
  const dir = fs.mkdtempSync(path.join(parent, STAGING_DIR_PREFIX));
  try {
    fs.chmodSync(dir, 0o700);
    for (const [name, content] of Object.entries(files)) {
      fs.writeFileSync(path.join(dir, name), content, { mode: 0o644, flag: 'wx' });
    }
    return use(dir);
  } finally {
    if (!stagingDisabled) fs.rmSync(dir, { recursive: true, force: true });
  }
}

function assemblyAssetDir(scope: IConstruct): string {
  const stage = Stage.of(scope);
  if (stage === undefined) throw new Error('GateLLM: the gateway must be defined inside an App or Stage');
  fs.mkdirSync(stage.assetOutdir, { recursive: true });
  return stage.assetOutdir;
}
