import type { APIGatewayProxyEvent } from 'aws-lambda';

export interface EventInput {
  readonly method?: string;
  readonly path?: string;
  readonly stage?: string;
  /** Header name → values; the builder fills `headers` (last value) and `multiValueHeaders` as API Gateway does. */
  readonly headers?: Readonly<Record<string, readonly string[]>>;
  readonly query?: Readonly<Record<string, readonly string[]>>;
  readonly body?: string | null;
  readonly isBase64Encoded?: boolean;
}

/** A REST API (payload 1.0) proxy event for the `/{proxy+}` resource, shaped like the real thing. */
export function apiGatewayEvent(input: EventInput = {}): APIGatewayProxyEvent {
  const method = input.method ?? 'POST';
  const path = input.path ?? '/v1/chat/completions';
  const stage = input.stage ?? 'prod';
  const headerEntries = Object.entries(input.headers ?? {});
  const queryEntries = Object.entries(input.query ?? {});
  const last = (values: readonly string[]): string | undefined => values[values.length - 1];
  return {
    resource: '/{proxy+}',
    path,
    httpMethod: method,
    headers: Object.fromEntries(headerEntries.map(([name, values]) => [name, last(values)])),
    multiValueHeaders: Object.fromEntries(headerEntries.map(([name, values]) => [name, [...values]])),
    queryStringParameters: queryEntries.length === 0 ? null : Object.fromEntries(queryEntries.map(([name, values]) => [name, last(values)])),
    multiValueQueryStringParameters: queryEntries.length === 0 ? null : Object.fromEntries(queryEntries.map(([name, values]) => [name, [...values]])),
    pathParameters: { proxy: path.replace(/^\//, '') },
    stageVariables: null,
    body: input.body ?? null,
    isBase64Encoded: input.isBase64Encoded ?? false,
    requestContext: {
      accountId: '123456789012',
      apiId: 'abcdef1234',
      authorizer: undefined,
      protocol: 'HTTP/1.1',
      httpMethod: method,
      identity: {
        accessKey: null, accountId: null, apiKey: null, apiKeyId: null, caller: null, clientCert: null,
        cognitoAuthenticationProvider: null, cognitoAuthenticationType: null, cognitoIdentityId: null,
        cognitoIdentityPoolId: null, principalOrgId: null, sourceIp: '203.0.113.7', user: null, userAgent: 'test', userArn: null,
      },
      // The stage appears here, never in the top-level `path`, on the execute-api URL.
      path: `/${stage}${path}`,
      stage,
      requestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
      requestTimeEpoch: 1_767_225_600_000,
      resourceId: 'res123',
      resourcePath: '/{proxy+}',
    },
  };
}
