import { Validations, type Acknowledgment } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * Every cdk-nag (AwsSolutions) finding this library accepts, each with its reason. They are applied
 * to the narrowest construct they concern, inside the library, so that users who run cdk-nag on
 * their own app get the same reasoned acknowledgements instead of having to rediscover them.
 */

/** `/v1` routes: callers present gateway keys, which only the function can check. */
export const PUBLIC_ROUTE_ACKNOWLEDGEMENTS: readonly Acknowledgment[] = [
  {
    id: 'AwsSolutions-APIG4',
    reason:
      'The /v1 routes are the public LLM API: clients (OpenAI and Anthropic SDKs, Claude Code, Codex) authenticate ' +
      'with GateLLM gateway keys (Bearer, x-api-key or api-key), which the gateway function verifies against their ' +
      'SHA-256 hash in DynamoDB, together with expiry, revocation and the key\'s model allow-list, and meters ' +
      'every request per key in a usage record. An API Gateway authorizer cannot apply those rules and would ' +
      'add latency to every streamed call.',
  },
  {
    id: 'AwsSolutions-COG4',
    reason:
      'LLM clients cannot obtain Cognito tokens: they send a static API key (a GateLLM gateway key), which the ' +
      'gateway function verifies (see AwsSolutions-APIG4).',
  },
];

/** `GET /health`: a liveness probe that must answer without credentials. */
export const HEALTH_ROUTE_ACKNOWLEDGEMENTS: readonly Acknowledgment[] = [
  {
    id: 'AwsSolutions-APIG4',
    reason:
      'GET /health is an unauthenticated liveness probe for uptime checks: it answers only the status and the ' +
      'GateLLM version, reads no store and no secret, and accepts no other method.',
  },
  {
    id: 'AwsSolutions-COG4',
    reason: 'GET /health is an unauthenticated liveness probe (see AwsSolutions-APIG4); a probe has no Cognito token.',
  },
];

/** `/admin/v1` routes: IAM (SigV4) is the authorizer. */
export const ADMIN_ROUTE_ACKNOWLEDGEMENTS: readonly Acknowledgment[] = [
  {
    id: 'AwsSolutions-COG4',
    reason:
      'The admin API is authorised with IAM (SigV4): operators and the gatellm CLI use their AWS credentials, so ' +
      'access is governed by IAM policies in the account rather than a separate Cognito user directory.',
  },
];

export const API_ACKNOWLEDGEMENTS: readonly Acknowledgment[] = [
  {
    id: 'AwsSolutions-APIG2',
    reason:
      'Every route is a Lambda proxy whose function validates the body and answers in the caller\'s own API error ' +
      'shape (OpenAI or Anthropic), which SDKs parse. An API Gateway request validator would reject requests with ' +
      'its own {"message": ...} body instead, and a model would have to mirror the providers\' fast-moving schemas.',
  },
];

export const STAGE_ACKNOWLEDGEMENTS: readonly Acknowledgment[] = [
  {
    id: 'AwsSolutions-APIG3',
    reason:
      'A WAFv2 web ACL costs a fixed monthly fee plus per-request charges and needs rules tuned to the deployment ' +
      '(IP allow lists, rate rules). Without it, every /v1 call still needs a valid, unexpired, unrevoked gateway ' +
      'key that allows the model, each request is metered per key, and the stage is throttled (throttlingRateLimit, ' +
      'throttlingBurstLimit). The gateway has no per-key rate limits or budgets yet. Operators who want WAF ' +
      'associate their own web ACL with the stage ARN.',
  },
];

/** The role API Gateway uses to write the stage's access and execution logs (account-level setting). */
export const API_CLOUDWATCH_ROLE_ACKNOWLEDGEMENTS: readonly Acknowledgment[] = [
  {
    id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
    reason:
      'This is the account-wide role API Gateway assumes to deliver access and execution logs, which APIG1 and ' +
      'APIG6 require. It is shared by every REST API in the account and region, so it cannot be scoped to this ' +
      'API\'s log groups; AWS maintains the managed policy for exactly this purpose.',
  },
];

/** Provider API keys in Secrets Manager. */
export const PROVIDER_SECRET_ACKNOWLEDGEMENTS: readonly Acknowledgment[] = [
  {
    id: 'AwsSolutions-SMG4',
    reason:
      'The secret holds a third-party LLM provider API key (OpenAI, Anthropic, ...). Those providers offer no API ' +
      'to mint keys, so a rotation Lambda cannot rotate them: operators create a new key in the provider console and ' +
      'put it as a new secret version. The gateway re-reads secrets after GATELLM_SECRET_CACHE_SECONDS, so rotation ' +
      'needs no redeploy.',
  },
];

/** Lambda roles when X-Ray tracing is on: the tracing statement CDK adds has to use `*`. */
export const TRACING_ACKNOWLEDGEMENTS: readonly Acknowledgment[] = [
  {
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason:
      'Only the X-Ray statement (xray:PutTraceSegments, xray:PutTelemetryRecords) uses "*": these X-Ray actions ' +
      'support no resource-level permissions. All table and secret statements name their resources.',
  },
];

/** The gateway's own policy for managed PII detection with Amazon Comprehend (off unless configured). */
export const COMPREHEND_PII_ACKNOWLEDGEMENTS: readonly Acknowledgment[] = [
  {
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason:
      'The statement allows only comprehend:DetectPiiEntities, which supports no resource-level permissions (the ' +
      'Service Authorization Reference lists no resource type for it), so IAM requires "*". It lets the gateway ' +
      'function submit prompt text for PII detection and nothing else; this policy holds no other statement.',
  },
];

/** Records the acknowledgements on `scope`; cdk-nag honours them for `scope` and everything beneath it. */
export function acknowledge(scope: IConstruct, acknowledgements: readonly Acknowledgment[]): void {
  for (const acknowledgement of acknowledgements) Validations.of(scope).acknowledge(acknowledgement);
}
