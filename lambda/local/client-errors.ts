import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { GatewayError } from '../errors/gateway-error';
import { errorResponse } from '../errors/serialize';
import { newRequestId } from '../http/request-id';
import { errorCode } from './data-dir';

/**
 * What Node's HTTP parser (or its request timer) refused, as a GatewayError: the caller gets the
 * OpenAI error shape it gets for every other error, not Node's bare `400 Bad Request`.
 */
function parserError(code: unknown): GatewayError {
  switch (code) {
    case 'HPE_HEADER_OVERFLOW':
      return new GatewayError(431, 'invalid_request_error', 'request_header_fields_too_large',
        'The request headers are too large (more than 16 KB in total).');
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return new GatewayError(408, 'invalid_request_error', 'request_timeout',
        'The request (headers and body) was not received in time.');
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return new GatewayError(413, 'invalid_request_error', 'request_too_large', 'A chunk extension is too large.');
    case 'HPE_UNEXPECTED_CONTENT_LENGTH':
      return new GatewayError(400, 'invalid_request_error', 'malformed_http_request',
        'The request has both Content-Length and Transfer-Encoding.');
    case 'HPE_INVALID_CHUNK_SIZE':
      return new GatewayError(400, 'invalid_request_error', 'malformed_http_request', 'The request body has an invalid chunk size.');
    default:
      return new GatewayError(400, 'invalid_request_error', 'malformed_http_request', 'The HTTP request is malformed.');
  }
}

/** Whether a response to the failed request has already begun (Node's own check, on its internal field). */
function responseStarted(socket: Duplex): boolean {
  const current = (socket as { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  return current?.headersSent === true;
}

/**
 * The server's `clientError` listener: answers in the OpenAI error shape, then closes the connection
 * (the parser's state is unknown after an error). A reset or half-written connection is just dropped.
 */
export function answerClientError(error: Error, socket: Duplex): void {
  const code = errorCode(error);
  if (code === 'ECONNRESET' || !socket.writable || responseStarted(socket)) {
    socket.destroy();
    return;
  }
  const response = errorResponse(parserError(code), 'openai', newRequestId());
  // errorResponse answers with a whole (string) body, never a stream.
  const body = Buffer.from(typeof response.body === 'string' ? response.body : '');
  const headers = { ...response.headers, 'content-length': String(body.length), connection: 'close' };
  const head = [`HTTP/1.1 ${response.status} ${STATUS_CODES[response.status] ?? ''}`,
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`)].join('\r\n');
  socket.end(Buffer.concat([Buffer.from(`${head}\r\n\r\n`), body]));
}
