import type { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { CONFIG_FILE_NAME } from './gateway-config-file';
import type { LambdaSources } from './lambda-sources';
import { acknowledge, TRACING_ACKNOWLEDGEMENTS } from './nag-acknowledgements';

export interface GatewayFunctionOptions {
  readonly entry: string;
  readonly description: string;
  readonly memorySize: number;
  readonly timeout: Duration;
  readonly logRetention: logs.RetentionDays;
  readonly logRemovalPolicy: RemovalPolicy;
  readonly environment: Readonly<Record<string, string>>;
  readonly sources: LambdaSources;
  /** Local file copied into the bundle as `gatellm.config.json`. */
  readonly configFile: string;
  readonly tracing: boolean;
}

/**
 * A GateLLM function: nodejs24.x on arm64 (native response streaming, cheaper per GB-second),
 * bundled locally by esbuild, with its own log group and a role that can write to that log group
 * and nothing else until the caller grants table and secret access.
 */
export function buildGatewayFunction(scope: Construct, id: string, options: GatewayFunctionOptions): nodejs.NodejsFunction {
  const logGroup = new logs.LogGroup(scope, `${id}Logs`, {
    retention: options.logRetention,
    removalPolicy: options.logRemovalPolicy,
  });
  // An explicit role instead of the default AWSLambdaBasicExecutionRole, whose logs:* rights span every
  // log group in the account: this one may only write to its own group (which already exists).
  const role = new iam.Role(scope, `${id}Role`, {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    description: `Execution role of ${options.description}`,
  });
  logGroup.grantWrite(role);

  const configFile = options.configFile;
  const fn = new nodejs.NodejsFunction(scope, id, {
    description: options.description,
    entry: options.entry,
    handler: 'handler',
    projectRoot: options.sources.projectRoot,
    depsLockFilePath: options.sources.depsLockFilePath,
    runtime: lambda.Runtime.NODEJS_24_X,
    architecture: lambda.Architecture.ARM_64,
    memorySize: options.memorySize,
    timeout: options.timeout,
    role,
    logGroup,
    environment: { ...options.environment },
    tracing: options.tracing ? lambda.Tracing.ACTIVE : lambda.Tracing.DISABLED,
    bundling: {
      minify: true,
      format: nodejs.OutputFormat.CJS,
      target: 'node24',
      sourceMap: false,
      // Bundle the AWS SDK clients too: the versions in package-lock.json are the ones tested, not
      // whatever the managed runtime happens to ship this month.
      externalModules: [],
      // Synth must work on machines without Docker (and without network): esbuild from node_modules.
      forceDockerBundling: false,
      commandHooks: {
        beforeBundling: () => [],
        beforeInstall: () => [],
        // The gateway configuration travels inside the bundle rather than in an environment variable,
        // which is capped at 4 KB for all variables together; the handler reads $LAMBDA_TASK_ROOT/gatellm.config.json.
        afterBundling: (_inputDir: string, outputDir: string) => [
          `cp ${shellQuote(configFile)} ${shellQuote(`${outputDir}/${CONFIG_FILE_NAME}`)}`,
        ],
      },
    },
  });
  if (options.tracing) acknowledge(role, TRACING_ACKNOWLEDGEMENTS);
  return fn;
}

/** Single-quotes a path for the POSIX shell the bundling hooks run in. */
function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
