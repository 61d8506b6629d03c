import { RemovalPolicy, type Acknowledgment } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct, IConstruct } from 'constructs';
import {
  CORS_ALLOW_HEADERS,
  CORS_ALLOW_METHODS,
  CORS_ALLOW_ORIGINS,
  CORS_MAX_AGE,
  GATEWAY_TIMEOUT,
} from './llm-gateway-defaults';
import {
  acknowledge,
  ADMIN_ROUTE_ACKNOWLEDGEMENTS,
  API_ACKNOWLEDGEMENTS,
  API_CLOUDWATCH_ROLE_ACKNOWLEDGEMENTS,
  HEALTH_ROUTE_ACKNOWLEDGEMENTS,
  PUBLIC_ROUTE_ACKNOWLEDGEMENTS,
  STAGE_ACKNOWLEDGEMENTS,
} from './nag-acknowledgements';

export interface GatewayApiOptions {
  readonly stageName: string;
  readonly logRetention: logs.RetentionDays;
  readonly logRemovalPolicy: RemovalPolicy;
  readonly throttlingRateLimit: number;
  readonly throttlingBurstLimit: number;
  readonly tracing: boolean;
  readonly cloudWatchRole: boolean;
  readonly gatewayFunction: lambda.IFunction;
  readonly adminFunction: lambda.IFunction;
}

/**
 * The REST API in front of both functions.
 *
 * REST rather than HTTP API or a function URL: only REST APIs stream Lambda responses and offer IAM
 * authorisation per route at the same time (research/aws-platform.md). REGIONAL because edge-optimised
 * endpoints cut idle streams after 30 s, regional ones after 5 minutes.
 */
export function buildGatewayApi(scope: Construct, id: string, options: GatewayApiOptions): apigateway.RestApi {
  const accessLogs = new logs.LogGroup(scope, `${id}AccessLogs`, {
    retention: options.logRetention,
    removalPolicy: options.logRemovalPolicy,
  });
  const api = new apigateway.RestApi(scope, id, {
    description: 'GateLLM: OpenAI- and Anthropic-compatible LLM gateway',
    endpointTypes: [apigateway.EndpointType.REGIONAL],
    // Access and execution logs need the account-level API Gateway CloudWatch role; a fresh account has
    // none and the deployment would fail. RETAIN: other APIs in the account depend on that setting too.
    cloudWatchRole: options.cloudWatchRole,
    ...(options.cloudWatchRole ? { cloudWatchRoleRemovalPolicy: RemovalPolicy.RETAIN } : {}),
    deployOptions: {
      stageName: options.stageName,
      accessLogDestination: new apigateway.LogGroupLogDestination(accessLogs),
      accessLogFormat: accessLogFormat(),
      loggingLevel: apigateway.MethodLoggingLevel.ERROR,
      // Never log request or response bodies: they are prompts and completions.
      dataTraceEnabled: false,
      tracingEnabled: options.tracing,
      throttlingRateLimit: options.throttlingRateLimit,
      throttlingBurstLimit: options.throttlingBurstLimit,
    },
  });
  addGatewayResponses(api);

  // Public LLM API. Anthropic SDKs take the stage URL as base URL, OpenAI SDKs `<stage URL>/v1`; both end up here.
  const v1 = api.root.addResource('v1', {
    defaultCorsPreflightOptions: {
      allowOrigins: [...CORS_ALLOW_ORIGINS],
      allowMethods: [...CORS_ALLOW_METHODS],
      allowHeaders: [...CORS_ALLOW_HEADERS],
      maxAge: CORS_MAX_AGE,
    },
  });
  // Forward each chunk as the function writes it (InvokeWithResponseStream) for up to 15 minutes.
  const gatewayIntegration = new apigateway.LambdaIntegration(options.gatewayFunction, {
    responseTransferMode: apigateway.ResponseTransferMode.STREAM,
    timeout: GATEWAY_TIMEOUT,
  });
  // The function authenticates gateway keys itself (see PUBLIC_ROUTE_ACKNOWLEDGEMENTS).
  v1.addResource('{proxy+}').addMethod('ANY', gatewayIntegration, { authorizationType: apigateway.AuthorizationType.NONE });
  acknowledge(v1, PUBLIC_ROUTE_ACKNOWLEDGEMENTS);

  // Liveness for load balancers and uptime checks: status and version only; touches no store or secret.
  const health = api.root.addResource('health');
  health.addMethod('GET', gatewayIntegration, { authorizationType: apigateway.AuthorizationType.NONE });
  acknowledge(health, HEALTH_ROUTE_ACKNOWLEDGEMENTS);

  // Admin API: short buffered JSON calls, signed with the operator's AWS credentials.
  const admin = api.root.addResource('admin');
  admin
    .addResource('v1')
    .addResource('{proxy+}')
    .addMethod('ANY', new apigateway.LambdaIntegration(options.adminFunction), {
      authorizationType: apigateway.AuthorizationType.IAM,
    });
  acknowledge(admin, ADMIN_ROUTE_ACKNOWLEDGEMENTS);

  acknowledgeDefaultChild(api, API_ACKNOWLEDGEMENTS);
  acknowledgeDefaultChild(api.deploymentStage, STAGE_ACKNOWLEDGEMENTS);
  const cloudWatchRole = api.node.tryFindChild('CloudWatchRole');
  if (cloudWatchRole !== undefined) acknowledge(cloudWatchRole, API_CLOUDWATCH_ROLE_ACKNOWLEDGEMENTS);
  return api;
}

/** One JSON object per request; `integrationErrorMessage` explains 502s such as a malformed stream prelude. */
function accessLogFormat(): apigateway.AccessLogFormat {
  const field = apigateway.AccessLogField;
  // Every value is quoted: context variables render as "-" when absent, which would break unquoted numbers.
  const fields: Record<string, string> = {
    requestId: field.contextRequestId(),
    requestTime: field.contextRequestTime(),
    ip: field.contextIdentitySourceIp(),
    userAgent: field.contextIdentityUserAgent(),
    caller: field.contextIdentityCaller(),
    httpMethod: field.contextHttpMethod(),
    path: field.contextPath(),
    status: field.contextStatus(),
    responseLength: field.contextResponseLength(),
    responseLatency: field.contextResponseLatency(),
    integrationStatus: field.contextIntegrationStatus(),
    integrationLatency: field.contextIntegrationLatency(),
    errorMessage: field.contextErrorMessage(),
    integrationErrorMessage: field.contextIntegrationErrorMessage(),
  };
  return apigateway.AccessLogFormat.custom(JSON.stringify(fields));
}

/**
 * Errors API Gateway answers itself (throttling, unknown paths, integration failures) in a body both
 * SDK families parse: Anthropic reads `type` and `error.type`/`error.message`, OpenAI reads
 * `error.message`/`error.type`/`error.code`. With CORS headers, so browsers can read them too.
 */
function addGatewayResponses(api: apigateway.RestApi): void {
  const responses: ReadonlyArray<[string, apigateway.ResponseType, string, string]> = [
    ['Throttled', apigateway.ResponseType.THROTTLED, 'rate_limit_error', 'rate_limited'],
    ['Default4xx', apigateway.ResponseType.DEFAULT_4XX, 'invalid_request_error', 'gateway_error'],
    ['Default5xx', apigateway.ResponseType.DEFAULT_5XX, 'api_error', 'gateway_error'],
  ];
  for (const [id, type, errorType, code] of responses) {
    api.addGatewayResponse(id, {
      type,
      // Static value, matching CORS_ALLOW_ORIGINS (any origin).
      responseHeaders: { 'Access-Control-Allow-Origin': "'*'" },
      templates: {
        'application/json':
          `{"type":"error","error":{"type":"${errorType}","code":"${code}","param":null,` +
          '"message":$context.error.messageString},"request_id":"$context.requestId"}',
      },
    });
  }
}

/** Acknowledges on the CloudFormation resource itself, so the acknowledgement covers nothing else. */
function acknowledgeDefaultChild(construct: IConstruct, acknowledgements: readonly Acknowledgment[]): void {
  const child = construct.node.defaultChild;
  if (child === undefined) throw new Error(`GateLLM: ${construct.node.path} has no CloudFormation resource to acknowledge`);
  acknowledge(child, acknowledgements);
}
