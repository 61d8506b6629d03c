/**
 * ApplyGuardrail names its guardrail by id or by ARN; both the client's region and the IAM grant must
 * agree with an ARN when one is given.
 */

export interface GuardrailArn {
  readonly partition: string;
  readonly region: string;
  readonly account: string;
  readonly guardrailId: string;
}

/** The shape ApplyGuardrail accepts for an ARN (its API reference's pattern). */
const GUARDRAIL_ARN = /^arn:(aws(?:-[^:]+)?):bedrock:([a-z0-9-]{1,20}):([0-9]{12}):guardrail\/([a-z0-9]+)$/;

/** The parts of a guardrail ARN, or `undefined` when `identifier` is a plain id (or not a guardrail ARN). */
export function parseGuardrailArn(identifier: string): GuardrailArn | undefined {
  const match = GUARDRAIL_ARN.exec(identifier);
  if (match === null) return undefined;
  const [, partition = '', region = '', account = '', guardrailId = ''] = match;
  return { partition, region, account, guardrailId };
}
