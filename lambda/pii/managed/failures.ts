/**
 * What a managed detector says when its service fails. The service's own message is never repeated:
 * a validation error may quote the request, and the request is the prompt.
 */

export type ManagedService = 'comprehend' | 'bedrock-guardrails';

const OPERATION: Readonly<Record<ManagedService, string>> = {
  comprehend: 'Amazon Comprehend DetectPiiEntities',
  'bedrock-guardrails': 'Amazon Bedrock ApplyGuardrail',
};

/** A service failure: which service and operation, its error code and HTTP status, never the text sent. */
export class ManagedDetectionError extends Error {
  override readonly name = 'ManagedDetectionError';

  constructor(
    readonly service: ManagedService,
    /** The service's error code (`ThrottlingException`, `AccessDeniedException`, ...) or `UnknownError`. */
    readonly code: string,
    /** The HTTP status, when the service answered at all. */
    readonly status: number | undefined,
  ) {
    super(`managed PII detection failed: ${OPERATION[service]} answered ${code}${status === undefined ? '' : ` (HTTP ${status})`}`);
  }
}

/** An error code is an identifier; anything else (a sentence, a quoted value) is not repeated. */
const ERROR_CODE = /^[A-Za-z][A-Za-z0-9_.:-]{0,99}$/;

function errorCode(error: unknown): string {
  if (typeof error !== 'object' || error === null) return 'UnknownError';
  const { name, code } = error as { name?: unknown; code?: unknown };
  // Network errors carry their errno code (`ECONNRESET`); their name is just `Error`.
  for (const candidate of [name === 'Error' ? undefined : name, code, name]) {
    if (typeof candidate === 'string' && ERROR_CODE.test(candidate)) return candidate;
  }
  return 'UnknownError';
}

function httpStatus(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const metadata = (error as { $metadata?: unknown }).$metadata;
  if (typeof metadata !== 'object' || metadata === null) return undefined;
  const status = (metadata as { httpStatusCode?: unknown }).httpStatusCode;
  return typeof status === 'number' && Number.isInteger(status) ? status : undefined;
}

/** The error to throw for `error` from `service`; the caller's abort wins over whatever the SDK made of it. */
export function serviceFailure(service: ManagedService, error: unknown, signal: AbortSignal | undefined): Error {
  if (signal?.aborted === true) return abortReason(signal);
  return new ManagedDetectionError(service, errorCode(error), httpStatus(error));
}

/** What an aborted detection throws: the signal's own reason when it is an Error. */
export function abortReason(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason : new Error('managed PII detection aborted');
}

/** Throws the abort reason when `signal` has fired. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted === true) throw abortReason(signal);
}
