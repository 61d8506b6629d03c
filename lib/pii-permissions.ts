import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type { ManagedDetectionConfig } from '../lambda/config/pii-config';
import { parseGuardrailArn } from '../lambda/pii/managed/guardrail-arn';
import { acknowledge, COMPREHEND_PII_ACKNOWLEDGEMENTS } from './nag-acknowledgements';

/**
 * The one statement managed detection needs: Comprehend's DetectPiiEntities (which names no resource,
 * so `*`), or ApplyGuardrail on the one configured guardrail.
 */
function managedDetectionStatement(scope: lambda.Function, managed: ManagedDetectionConfig): iam.PolicyStatement {
  switch (managed.service) {
    case 'comprehend':
      return new iam.PolicyStatement({ actions: ['comprehend:DetectPiiEntities'], resources: ['*'] });
    case 'bedrock-guardrails':
      return new iam.PolicyStatement({ actions: ['bedrock:ApplyGuardrail'], resources: [guardrailArn(scope, managed)] });
  }
}

/** The guardrail's ARN: as configured when `guardrailId` is one, else in the configured region (default: the stack's) of this account. */
function guardrailArn(scope: lambda.Function, managed: Extract<ManagedDetectionConfig, { service: 'bedrock-guardrails' }>): string {
  if (parseGuardrailArn(managed.guardrailId) !== undefined) return managed.guardrailId;
  return Stack.of(scope).formatArn({
    service: 'bedrock',
    ...(managed.region === undefined ? {} : { region: managed.region }),
    resource: 'guardrail',
    resourceName: managed.guardrailId,
    arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
  });
}

/**
 * Lets `fn` call the managed detection service of `managed`, and nothing when it is off. The statement
 * lives in a policy of its own, so that the cdk-nag acknowledgement of Comprehend's `*` covers exactly
 * that statement and not the rest of the role; the function waits for the policy, so its first
 * request already has the permission.
 */
export function grantManagedPiiDetection(fn: lambda.Function, managed: ManagedDetectionConfig | undefined): void {
  if (managed === undefined) return;
  const role = fn.role;
  if (role === undefined) throw new Error(`GateLLM: the function ${fn.node.path} has no role to grant managed PII detection to`);
  const policy = new iam.Policy(fn, 'ManagedPiiDetectionPolicy', {
    statements: [managedDetectionStatement(fn, managed)],
    roles: [role],
  });
  fn.node.addDependency(policy);
  if (managed.service === 'comprehend') acknowledge(policy, COMPREHEND_PII_ACKNOWLEDGEMENTS);
}
