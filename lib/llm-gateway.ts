import { CfnOutput, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import type * as apigateway from 'aws-cdk-lib/aws-apigateway';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import type { GatewayConfig } from '../lambda/config/gateway-config';
import { parseGatewayConfig } from '../lambda/config/validate-config';
import { buildGatewayApi } from './gateway-api';
import { adminConfig } from './gateway-config-file';
import { buildGatewayFunction } from './gateway-functions';
import { ADMIN_TABLE_ACCESS, buildGatewayTable, GATEWAY_TABLE_ACCESS, grantTableAccess } from './gateway-table';
import { ADMIN_TIMEOUT, GATEWAY_TIMEOUT, LLM_GATEWAY_DEFAULTS, type LlmGatewaySettings } from './llm-gateway-defaults';
import { grantManagedPiiDetection } from './pii-permissions';
import { buildProviderSecrets } from './provider-secrets';
import { GatewayMonitoring, METRICS_NAMESPACE } from './gateway-monitoring';

export interface LlmGatewayProps {
  /**
   * The gateway configuration: providers, models with prices, aliases. It is validated at synth time
   * by the same parser the functions run at start-up (a mistake throws `ConfigError` naming the field)
   * and shipped inside the gateway bundle; the admin bundle gets it without providers' `apiKey` and
   * `headers`. A provider with `apiKey` gets a Secrets Manager secret: `apiKey.secretId` imports an
   * existing one, otherwise a new secret is created for the operator to fill in.
   */
  readonly config: GatewayConfig;
  /**
   * Memory of the gateway function in MB; CPU scales with it.
   * @default 1024
   */
  readonly memorySize?: number;
  /**
   * Memory of the admin function in MB.
   * @default 512
   */
  readonly adminMemorySize?: number;
  /**
   * How long function and API access logs are kept.
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * What happens to the table (keys, budgets, usage, audit trail) and the log groups when the stack
   * is deleted. With RETAIN the table also gets deletion protection.
   * @default RemovalPolicy.RETAIN
   */
  readonly tableRemovalPolicy?: RemovalPolicy;
  /**
   * Name of the API Gateway stage; it is the first path segment of every URL.
   * @default 'prod'
   */
  readonly stageName?: string;
  /**
   * Seconds a provider key read from Secrets Manager is cached in memory: the longest a rotated key
   * keeps using the old value. Reaches the functions as `GATELLM_SECRET_CACHE_SECONDS`.
   * @default 60
   */
  readonly secretCacheSeconds?: number;
  /**
   * Upper bound on the table's (and its index's) on-demand read request units per second.
   * @default - no cap
   */
  readonly maxReadRequestUnits?: number;
  /**
   * Upper bound on the table's (and its index's) on-demand write request units per second.
   * @default - no cap
   */
  readonly maxWriteRequestUnits?: number;
  /**
   * Steady-state requests per second the API stage accepts before answering 429.
   * @default 1000
   */
  readonly throttlingRateLimit?: number;
  /**
   * Burst of requests the API stage accepts above the steady rate.
   * @default 2000
   */
  readonly throttlingBurstLimit?: number;
  /**
   * X-Ray tracing on the API stage and both functions.
   * @default false
   */
  readonly tracing?: boolean;
  /**
   * Create the account-level role that lets API Gateway write logs (AWS::ApiGateway::Account), which
   * access and execution logging require. Set false when the account already has one configured.
   * @default true
   */
  readonly apiCloudWatchRole?: boolean;
  /**
   * Level of the functions' JSON logs (`debug`, `info`, `warn`, `error`, `silent`): one line per
   * request with ids, model, tokens, cost and latency — never prompt or completion text.
   * Reaches the functions as `GATELLM_LOG_LEVEL`.
   * @default 'info'
   */
  readonly logLevel?: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  /**
   * Topic that receives the operational alarms (5xx, function errors and throttles, failed requests).
   * @default - a new topic, encrypted with the AWS-managed SNS key, TLS only
   */
  readonly alarmTopic?: sns.ITopic;
  /**
   * E-mail addresses subscribed to the new alarm topic (ignored when `alarmTopic` is given).
   * @default - none
   */
  readonly alarmEmails?: readonly string[];
}

/**
 * GateLLM on AWS: a streaming REST API in front of the gateway function, an IAM-authorised admin
 * API, one DynamoDB table and a Secrets Manager secret per keyed provider.
 *
 * It adds three stack outputs of its own (see `outputs`): the OpenAI base URL (`…/v1`), the base URL
 * and the admin URL.
 *
 * @example
 * const gateway = new LlmGateway(this, 'Gateway', { config });
 */
export class LlmGateway extends Construct {
  /** The REST API (REGIONAL) with `/v1/{proxy+}` and `/admin/v1/{proxy+}`. */
  public readonly api: apigateway.RestApi;
  /** The single table behind all stores (`pk`/`sk`, GSI `gsi1`, TTL attribute `ttl`). */
  public readonly table: dynamodb.TableV2;
  /** Serves `/v1/*` with streamed responses. */
  public readonly gatewayFunction: lambda.Function;
  /** Serves `/admin/v1/*`. */
  public readonly adminFunction: lambda.Function;
  /** Provider name → the secret holding its API key (created or imported). */
  public readonly providerSecrets: Readonly<Record<string, secretsmanager.ISecret>>;
  /** Stage URL without trailing slash: the base URL for Anthropic SDKs and Claude Code (`ANTHROPIC_BASE_URL`). */
  public readonly baseUrl: string;
  /** `<baseUrl>/v1`: the base URL for OpenAI SDKs, Codex and Cursor (`OPENAI_BASE_URL`). */
  public readonly openAiBaseUrl: string;
  /** `<baseUrl>/admin/v1`: the IAM-authorised admin API. */
  public readonly adminUrl: string;
  /** Where the operational alarms go. */
  public readonly alarmTopic: sns.ITopic;
  /** Spend, traffic, tokens and latency per team, model and provider, and the health of the stack. */
  public readonly dashboard: cloudwatch.Dashboard;
  /**
   * The construct's stack outputs. Their logical ids carry the construct's path (two gateways in one
   * stack do not clash); a stack that wants fixed names calls `overrideLogicalId`, as `GatewayStack` does.
   */
  public readonly outputs: { readonly openAiBaseUrl: CfnOutput; readonly baseUrl: CfnOutput; readonly adminUrl: CfnOutput };

  constructor(scope: Construct, id: string, props: LlmGatewayProps) {
    super(scope, id);
    // One schema at start and at synth: the functions parse the shipped file with this same parser.
    const config = parseGatewayConfig(props.config);
    const settings: LlmGatewaySettings = { ...LLM_GATEWAY_DEFAULTS, ...definedProps(props) };
    validateSettings(settings);

    this.table = buildGatewayTable(this, 'Table', {
      removalPolicy: settings.tableRemovalPolicy,
      ...(props.maxReadRequestUnits === undefined ? {} : { maxReadRequestUnits: props.maxReadRequestUnits }),
      ...(props.maxWriteRequestUnits === undefined ? {} : { maxWriteRequestUnits: props.maxWriteRequestUnits }),
    });
    this.providerSecrets = buildProviderSecrets(this, config);

    const secretArns = Object.fromEntries(Object.entries(this.providerSecrets).map(([name, secret]) => [name, secret.secretArn]));
    const environment = {
      GATELLM_TABLE_NAME: this.table.tableName,
      GATELLM_PROVIDER_SECRETS: Stack.of(this).toJsonString(secretArns),
      GATELLM_SECRET_CACHE_SECONDS: String(settings.secretCacheSeconds),
      GATELLM_LOG_LEVEL: settings.logLevel,
      GATELLM_METRICS_NAMESPACE: METRICS_NAMESPACE,
    };
    const common = {
      environment,
      logRetention: settings.logRetention,
      logRemovalPolicy: settings.tableRemovalPolicy,
      tracing: settings.tracing,
    };
    this.gatewayFunction = buildGatewayFunction(this, 'GatewayFunction', {
      ...common,
      bundle: 'gateway',
      config,
      description: 'GateLLM gateway: /v1 LLM API (streaming)',
      memorySize: settings.memorySize,
      timeout: GATEWAY_TIMEOUT,
    });
    this.adminFunction = buildGatewayFunction(this, 'AdminFunction', {
      ...common,
      bundle: 'admin',
      // The admin API never calls a provider: no key sources, no provider headers in its bundle.
      config: adminConfig(config),
      description: 'GateLLM admin API: /admin/v1',
      memorySize: settings.adminMemorySize,
      timeout: ADMIN_TIMEOUT,
    });

    grantTableAccess(this.gatewayFunction, this.table, GATEWAY_TABLE_ACCESS);
    grantTableAccess(this.adminFunction, this.table, ADMIN_TABLE_ACCESS);
    // Only the gateway calls providers; the admin API never needs a provider key.
    for (const secret of Object.values(this.providerSecrets)) secret.grantRead(this.gatewayFunction);
    // Only the gateway scans prompts; with managed detection off no statement is added at all.
    grantManagedPiiDetection(this.gatewayFunction, config.pii?.managed);

    this.api = buildGatewayApi(this, 'Api', {
      stageName: settings.stageName,
      logRetention: settings.logRetention,
      logRemovalPolicy: settings.tableRemovalPolicy,
      throttlingRateLimit: settings.throttlingRateLimit,
      throttlingBurstLimit: settings.throttlingBurstLimit,
      tracing: settings.tracing,
      cloudWatchRole: settings.apiCloudWatchRole,
      gatewayFunction: this.gatewayFunction,
      adminFunction: this.adminFunction,
    });
    const stack = Stack.of(this);
    this.baseUrl = `https://${this.api.restApiId}.execute-api.${stack.region}.${stack.urlSuffix}/${this.api.deploymentStage.stageName}`;
    this.openAiBaseUrl = `${this.baseUrl}/v1`;
    this.adminUrl = `${this.baseUrl}/admin/v1`;
    this.outputs = {
      openAiBaseUrl: new CfnOutput(this, 'OpenAiBaseUrl', {
        description: 'Base URL for OpenAI SDKs, Codex, Cursor and Continue (OPENAI_BASE_URL)',
        value: this.openAiBaseUrl,
      }),
      baseUrl: new CfnOutput(this, 'BaseUrl', {
        description: 'Base URL for Anthropic SDKs and Claude Code (ANTHROPIC_BASE_URL)',
        value: this.baseUrl,
      }),
      adminUrl: new CfnOutput(this, 'AdminUrl', {
        description: 'Admin API (IAM/SigV4-authorised), used by the gatellm CLI',
        value: this.adminUrl,
      }),
    };

    const monitoring = new GatewayMonitoring(this, 'Monitoring', {
      api: this.api, gatewayFunction: this.gatewayFunction, adminFunction: this.adminFunction, table: this.table,
      ...(props.alarmTopic === undefined ? {} : { alarmTopic: props.alarmTopic }),
      alarmEmails: props.alarmEmails ?? [],
    });
    this.alarmTopic = monitoring.alarmTopic;
    this.dashboard = monitoring.dashboard;
  }
}

/** The props that have defaults, without `undefined` values, so that spreading them over the defaults keeps the defaults. */
function definedProps(props: LlmGatewayProps): Partial<LlmGatewaySettings> {
  const { config: _config, maxReadRequestUnits: _read, maxWriteRequestUnits: _write, alarmTopic: _topic, alarmEmails: _emails, ...rest } = props;
  return Object.fromEntries(Object.entries(rest).filter(([, value]) => value !== undefined));
}

function validateSettings(settings: LlmGatewaySettings): void {
  const checks: ReadonlyArray<[string, number, number, number]> = [
    ['memorySize', settings.memorySize, 128, 10240],
    ['adminMemorySize', settings.adminMemorySize, 128, 10240],
    ['secretCacheSeconds', settings.secretCacheSeconds, 0, 86400],
  ];
  for (const [name, value, min, max] of checks) {
    if (Token.isUnresolved(value)) continue;
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new Error(`LlmGateway: ${name} must be an integer from ${min} to ${max}, got ${value}`);
    }
  }
}
