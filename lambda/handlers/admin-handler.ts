import middy, { type MiddyfiedHandler } from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { GatewayError, InternalError } from '../errors/gateway-error';
import { errorResponse } from '../errors/serialize';
import { newRequestId } from '../http/request-id';
import type { HttpApp, InboundRequest, OutboundResponse } from '../http/types';
import type { Logger } from '../logging/logger';
import { toInboundRequest } from './http-event';
import { bodyText } from './response-body';

export type AdminLambdaHandler = MiddyfiedHandler<APIGatewayProxyEvent, APIGatewayProxyResult>;

export interface AdminHandlerOptions {
  readonly maxRequestBodyBytes: number;
  readonly logger: Logger;
}

async function toResult(response: OutboundResponse): Promise<APIGatewayProxyResult> {
  // Admin answers are JSON or CSV text; a streamed one (none today) is collected, as a buffered
  // integration requires.
  return { statusCode: response.status, headers: response.headers, body: await bodyText(response.body) };
}

async function respond(app: HttpApp, options: AdminHandlerOptions, event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
  // Nothing can abort a buffered invocation early; the signal exists because the contract requires one.
  const controller = new AbortController();
  let request: InboundRequest;
  try {
    // API Gateway authorised the caller with IAM: its principal is who the audit trail names.
    const { userArn, caller } = event.requestContext.identity;
    request = { ...toInboundRequest(event, { maxBodyBytes: options.maxRequestBodyBytes, signal: controller.signal }), identity: userArn ?? caller ?? 'iam:unknown' };
  } catch (error) {
    if (!(error instanceof GatewayError)) throw error;
    return toResult(errorResponse(error, 'openai', newRequestId()));
  }
  try {
    return await toResult(await app.handle(request));
  } catch (error) {
    options.logger.error('admin app threw', { path: request.path, error: error instanceof Error ? error.message : String(error) });
    return toResult(errorResponse(new InternalError(undefined, { cause: error }), 'openai', newRequestId()));
  }
}

/**
 * The buffered admin entry point: API Gateway REST event → InboundRequest → admin app → proxy result.
 * API Gateway authorises these routes with IAM before the function runs, so requests pass straight through.
 */
export function createAdminHandler(app: HttpApp, options: AdminHandlerOptions): AdminLambdaHandler {
  return middy<APIGatewayProxyEvent, APIGatewayProxyResult>().handler(async (event) => respond(app, options, event));
}
