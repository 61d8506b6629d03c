import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import * as logs from 'aws-cdk-lib/aws-logs';
import { ConfigError, GatewayConfigError, LlmGateway } from '../../lib';
import { logicalId, SAMPLE_CONFIG, synthGateway, testApp } from './helpers';

const LAMBDA = 'AWS::Lambda::Function';
const METHOD = 'AWS::ApiGateway::Method';

describe('LlmGateway functions', () => {
  const { template } = synthGateway();

  test('both run nodejs24.x on arm64', () => {
    template.resourcePropertiesCountIs(LAMBDA, { Runtime: 'nodejs24.x', Architectures: ['arm64'] }, 2);
  });

  test('the gateway may stream for 15 minutes, the admin API answers within 30 s', () => {
    template.hasResourceProperties(LAMBDA, { Description: Match.stringLikeRegexp('gateway'), Timeout: 900, MemorySize: 1024 });
    template.hasResourceProperties(LAMBDA, { Description: Match.stringLikeRegexp('admin'), Timeout: 30, MemorySize: 512 });
  });

  test('receive the table name, the provider secret map, the secret cache TTL and the log level', () => {
    template.resourcePropertiesCountIs(
      LAMBDA,
      {
        Environment: {
          Variables: {
            GATELLM_TABLE_NAME: { Ref: logicalId(template, 'AWS::DynamoDB::GlobalTable', 'Table') },
            GATELLM_PROVIDER_SECRETS: Match.anyValue(),
            GATELLM_SECRET_CACHE_SECONDS: '60',
            GATELLM_LOG_LEVEL: 'info',
          },
        },
      },
      2,
    );
  });

  test('log to their own log group with the configured retention', () => {
    template.resourceCountIs('AWS::Logs::LogGroup', 3);
    template.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
    const gatewayLogs = logicalId(template, 'AWS::Logs::LogGroup', 'GatewayFunctionLogs');
    template.hasResourceProperties(LAMBDA, { LoggingConfig: { LogGroup: { Ref: gatewayLogs } }, Timeout: 900 });
  });

  test('honour memory, retention, secret cache and log level overrides', () => {
    const { template: custom } = synthGateway({ memorySize: 2048, logRetention: logs.RetentionDays.ONE_YEAR, secretCacheSeconds: 5, logLevel: 'warn' });
    custom.resourcePropertiesCountIs(LAMBDA, { Environment: { Variables: Match.objectLike({ GATELLM_LOG_LEVEL: 'warn' }) } }, 2);
    custom.hasResourceProperties(LAMBDA, { MemorySize: 2048, Timeout: 900 });
    custom.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: 365 });
    custom.resourcePropertiesCountIs(LAMBDA, { Environment: { Variables: Match.objectLike({ GATELLM_SECRET_CACHE_SECONDS: '5' }) } }, 2);
  });

  test('reject impossible settings at synth time', () => {
    expect(() => synthGateway({ memorySize: 64 })).toThrow(/memorySize must be an integer from 128 to 10240/);
    expect(() => synthGateway({ secretCacheSeconds: -1 })).toThrow(/secretCacheSeconds/);
  });
});

describe('LlmGateway API', () => {
  const { template } = synthGateway();

  test('is a REGIONAL REST API', () => {
    template.hasResourceProperties('AWS::ApiGateway::RestApi', { EndpointConfiguration: { Types: ['REGIONAL'] } });
  });

  test('/v1 streams from the gateway function for up to 15 minutes, without an API Gateway authorizer', () => {
    template.hasResourceProperties(METHOD, {
      HttpMethod: 'ANY',
      ResourceId: { Ref: logicalId(template, 'AWS::ApiGateway::Resource', 'Apiv1proxy') },
      AuthorizationType: 'NONE',
      Integration: {
        Type: 'AWS_PROXY',
        ResponseTransferMode: 'STREAM',
        TimeoutInMillis: 900000,
        Uri: {
          'Fn::Join': [
            '',
            Match.arrayWith([
              Match.stringLikeRegexp('/2021-11-15/functions/'),
              { 'Fn::GetAtt': [logicalId(template, LAMBDA, 'GatewayFunction'), 'Arn'] },
              '/response-streaming-invocations',
            ]),
          ],
        },
      },
    });
  });

  test('/admin/v1 requires IAM (SigV4) and uses a buffered integration with the admin function', () => {
    template.hasResourceProperties(METHOD, {
      HttpMethod: 'ANY',
      ResourceId: { Ref: logicalId(template, 'AWS::ApiGateway::Resource', 'adminv1proxy') },
      AuthorizationType: 'AWS_IAM',
      Integration: {
        Type: 'AWS_PROXY',
        ResponseTransferMode: Match.absent(),
        Uri: { 'Fn::Join': ['', Match.arrayWith([{ 'Fn::GetAtt': [logicalId(template, LAMBDA, 'AdminFunction'), 'Arn'] }])] },
      },
    });
  });

  test('GET /health reaches the gateway function without credentials (a liveness probe)', () => {
    template.hasResourceProperties(METHOD, {
      HttpMethod: 'GET',
      ResourceId: { Ref: logicalId(template, 'AWS::ApiGateway::Resource', 'Apihealth') },
      AuthorizationType: 'NONE',
      Integration: { Type: 'AWS_PROXY', ResponseTransferMode: 'STREAM' },
    });
  });

  test('only the admin method requires IAM; /v1, /health and the CORS preflights have no API Gateway authorizer', () => {
    const methods = Object.values(template.findResources(METHOD)) as Array<{ Properties: { HttpMethod: string; AuthorizationType: string } }>;
    const byAuth = methods.map((m) => `${m.Properties.HttpMethod}:${m.Properties.AuthorizationType}`).sort();
    expect(byAuth).toEqual(['ANY:AWS_IAM', 'ANY:NONE', 'GET:NONE', 'OPTIONS:NONE', 'OPTIONS:NONE']);
  });

  test('CORS preflight on /v1 allows the headers LLM SDKs send', () => {
    template.hasResourceProperties(METHOD, {
      HttpMethod: 'OPTIONS',
      Integration: {
        IntegrationResponses: [
          Match.objectLike({
            ResponseParameters: Match.objectLike({
              'method.response.header.Access-Control-Allow-Headers': Match.stringLikeRegexp(
                "'authorization,x-api-key,api-key,content-type,anthropic-version,anthropic-beta,anthropic-dangerous-direct-browser-access,openai-organization,openai-project,x-stainless-arch,.*x-stainless-read-timeout'",
              ),
              'method.response.header.Access-Control-Allow-Origin': "'*'",
            }),
          }),
        ],
      },
    });
  });

  test('the stage logs access as JSON and errors only, never bodies, and is throttled', () => {
    template.hasResourceProperties('AWS::ApiGateway::Stage', {
      StageName: 'prod',
      AccessLogSetting: {
        DestinationArn: Match.anyValue(),
        Format: Match.serializedJson(Match.objectLike({ requestId: '$context.requestId', status: '$context.status' })),
      },
      MethodSettings: [
        {
          HttpMethod: '*',
          ResourcePath: '/*',
          LoggingLevel: 'ERROR',
          DataTraceEnabled: false,
          ThrottlingRateLimit: 1000,
          ThrottlingBurstLimit: 2000,
        },
      ],
    });
  });

  test('configures the account-level logging role so that a fresh account can deploy', () => {
    template.resourceCountIs('AWS::ApiGateway::Account', 1);
    const { template: without } = synthGateway({ apiCloudWatchRole: false });
    without.resourceCountIs('AWS::ApiGateway::Account', 0);
  });

  test('API Gateway errors come in a body OpenAI and Anthropic SDKs both parse', () => {
    template.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
      ResponseType: 'THROTTLED',
      ResponseTemplates: { 'application/json': Match.stringLikeRegexp('"type":"error".*"type":"rate_limit_error","code":"rate_limited"') },
    });
    template.resourcePropertiesCountIs(
      'AWS::ApiGateway::GatewayResponse',
      { ResponseParameters: { 'gatewayresponse.header.Access-Control-Allow-Origin': "'*'" } },
      3,
    );
  });
});

describe('LlmGateway table', () => {
  const { template } = synthGateway();

  test('has pk/sk keys and the gsi1 index projecting all attributes', () => {
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: 'gsi1',
          KeySchema: [
            { AttributeName: 'gsi1pk', KeyType: 'HASH' },
            { AttributeName: 'gsi1sk', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
    });
  });

  test('is on-demand, KMS-encrypted, with TTL on `ttl`, PITR and deletion protection, and retained', () => {
    template.hasResource('AWS::DynamoDB::GlobalTable', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        BillingMode: 'PAY_PER_REQUEST',
        SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
        TimeToLiveSpecification: { AttributeName: 'ttl', Enabled: true },
        Replicas: [
          Match.objectLike({
            PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
            DeletionProtectionEnabled: true,
          }),
        ],
      }),
    });
  });

  test('can be capped and made disposable', () => {
    const { template: dev } = synthGateway({
      tableRemovalPolicy: RemovalPolicy.DESTROY,
      maxReadRequestUnits: 500,
      maxWriteRequestUnits: 100,
    });
    dev.hasResource('AWS::DynamoDB::GlobalTable', {
      DeletionPolicy: 'Delete',
      Properties: Match.objectLike({
        WriteOnDemandThroughputSettings: { MaxWriteRequestUnits: 100 },
        Replicas: [Match.objectLike({ DeletionProtectionEnabled: false, ReadOnDemandThroughputSettings: { MaxReadRequestUnits: 500 } })],
      }),
    });
  });
});

describe('LlmGateway outputs', () => {
  test('a consumer stack gets the OpenAI base URL (…/v1), the base URL and the admin URL without writing outputs', () => {
    const { template, gateway } = synthGateway();
    const outputs = template.toJSON().Outputs as Record<string, { Value: unknown; Description?: string }>;
    const byDescription = (fragment: string) => Object.values(outputs).filter((output) => (output.Description ?? '').includes(fragment));
    expect(byDescription('OPENAI_BASE_URL')).toHaveLength(1);
    expect(JSON.stringify(byDescription('OPENAI_BASE_URL')[0]?.Value)).toMatch(/"\/v1"\]\]\}$/);
    expect(byDescription('ANTHROPIC_BASE_URL')).toHaveLength(1);
    expect(JSON.stringify(byDescription('Admin API')[0]?.Value)).toMatch(/"\/admin\/v1"\]\]\}$/);
    expect(Object.keys(outputs)).toContain(Stack.of(gateway).resolve(gateway.outputs.openAiBaseUrl.logicalId));
  });
});

describe('LlmGateway configuration checks', () => {
  const build = (config: typeof SAMPLE_CONFIG) => () =>
    new LlmGateway(new Stack(testApp(), 'Bad'), 'Gateway', { config });

  test('a model naming an unknown provider fails synth and names the field', () => {
    const config = { ...SAMPLE_CONFIG, models: { ...SAMPLE_CONFIG.models, bad: { provider: 'nope', model: 'x', price: { input: 1, output: 1 } } } };
    expect(build(config)).toThrow("Invalid gateway configuration: models.bad.provider names unknown provider 'nope'");
  });

  test('uses the runtime parser: a field error is a ConfigError (GatewayConfigError is the same class)', () => {
    const config = { ...SAMPLE_CONFIG, models: { bad: { provider: 'openai', model: 'x', price: { input: -1, output: 1 } } } };
    expect(build(config)).toThrow(ConfigError);
    expect(build(config)).toThrow('Invalid gateway configuration: models.bad.price.input must be a number >= 0');
    expect(GatewayConfigError).toBe(ConfigError);
  });

  test('an alias naming an unknown model fails synth', () => {
    expect(build({ ...SAMPLE_CONFIG, aliases: { fast: ['gpt-4o-mini', 'missing'] } })).toThrow(
      "aliases.fast[1] names unknown model 'missing'",
    );
  });
});
