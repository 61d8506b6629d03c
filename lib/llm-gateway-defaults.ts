import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { LlmGatewayProps } from './llm-gateway';

/** The runtime's own CORS lists, so API Gateway's preflight and the function's answers agree. */
export { CORS_ALLOW_HEADERS, CORS_ALLOW_METHODS } from '../lambda/api/cors';

/** Every optional prop that has a default (the request-unit caps and the alarm topic have none). */
export type LlmGatewaySettings = Required<Omit<LlmGatewayProps, 'config' | 'maxReadRequestUnits' | 'maxWriteRequestUnits' | 'alarmTopic' | 'alarmEmails'>>;

/**
 * Defaults for every optional `LlmGatewayProps` field, kept apart from the construct so that the
 * values users get without configuring anything can be read (and reviewed) in one place.
 */
export const LLM_GATEWAY_DEFAULTS: Readonly<LlmGatewaySettings> = {
  /** 1,024 MB buys ~0.6 vCPU: enough for JSON parsing and SSE translation without paying for idle CPU. */
  memorySize: 1024,
  /** The admin API does small CRUD and usage aggregation; half the gateway's memory is plenty. */
  adminMemorySize: 512,
  logRetention: logs.RetentionDays.ONE_MONTH,
  /** Keys, budgets and usage are business records: never delete them with the stack unless asked to. */
  tableRemovalPolicy: RemovalPolicy.RETAIN,
  stageName: 'prod',
  /** Bounds how long a rotated provider key keeps using the old value (see DESIGN.md §3). */
  secretCacheSeconds: 60,
  throttlingRateLimit: 1000,
  throttlingBurstLimit: 2000,
  tracing: false,
  apiCloudWatchRole: true,
  logLevel: 'info',
};

/** The gateway streams for up to the API Gateway/Lambda maximum: long agentic turns take minutes. */
export const GATEWAY_TIMEOUT = Duration.minutes(15);

/** Admin calls are short; API Gateway's buffered integrations cap them at 29 s anyway. */
export const ADMIN_TIMEOUT = Duration.seconds(30);


/** Gateway keys travel in headers, never in cookies, so any origin may call the API from a browser. */
export const CORS_ALLOW_ORIGINS: readonly string[] = ['*'];


/** Browsers cache a preflight this long (Chrome caps it at 2 h). */
export const CORS_MAX_AGE = Duration.hours(1);
