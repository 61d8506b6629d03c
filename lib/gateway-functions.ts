import type { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { GatewayConfig } from '../lambda/config/gateway-config';
import { CONFIG_FILE_NAME } from '../lambda/handlers/lambda-environment';
import { configFileContent } from './gateway-config-file';
import type { LambdaBundleName } from './lambda-bundles';
import { lambdaBundleCode } from './lambda-sources';
import { acknowledge, TRACING_ACKNOWLEDGEMENTS } from './nag-acknowledgements';
import { withPrivateStagingDir } from './private-staging';

export interface GatewayFunctionOptions {
  readonly bundle: LambdaBundleName;
  readonly description: string;
  readonly memorySize: number;
  readonly timeout: Duration;
  readonly logRetention: logs.RetentionDays;
  readonly logRemovalPolicy: RemovalPolicy;
  readonly environment: Readonly<Record<string, string>>;
  /** Shipped next to the code as `gatellm.config.json`; the handler reads `$LAMBDA_TASK_ROOT/gatellm.config.json`. */
  readonly config: GatewayConfig;
  readonly tracing: boolean;
}

/**
 * A GateLLM function: nodejs24.x on arm64 (native response streaming, cheaper per GB-second), its
 * code one prebuilt (or freshly esbuilt) `index.js` plus the configuration, with its own log group and
 * a role that can write to that log group and nothing else until the caller grants table and secret access.
 */
export function buildGatewayFunction(scope: Construct, id: string, options: GatewayFunctionOptions): lambda.Function {
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

  const files = { 'index.js': lambdaBundleCode(options.bundle), [CONFIG_FILE_NAME]: configFileContent(options.config) };
  // The Function constructor stages the asset into the cloud assembly, so the private directory can go right after.
  const fn = withPrivateStagingDir(scope, files, (dir) =>
    new lambda.Function(scope, id, {
      description: options.description,
      code: lambda.Code.fromAsset(dir),
      handler: 'index.handler',
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: options.memorySize,
      timeout: options.timeout,
      role,
      logGroup,
      environment: { ...options.environment },
      tracing: options.tracing ? lambda.Tracing.ACTIVE : lambda.Tracing.DISABLED,
    }),
  );
  if (options.tracing) acknowledge(role, TRACING_ACKNOWLEDGEMENTS);
  return fn;
}
