import { Stack, Validations, type Acknowledgment } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import type { ManagedDetectionConfig } from '../../lambda/config/pii-config';
import { GatewayStack } from '../../lib';
import { logicalId, SAMPLE_CONFIG, synthGateway, testApp } from './helpers';

interface Statement {
  readonly Action: string | string[];
  readonly Resource: unknown;
  readonly Effect: string;
}

interface PolicyResource {
  readonly Properties: { readonly Roles: ReadonlyArray<{ Ref: string }>; readonly PolicyDocument: { readonly Statement: Statement[] } };
}

const COMPREHEND: ManagedDetectionConfig = { service: 'comprehend' };
const GUARDRAIL: ManagedDetectionConfig = { service: 'bedrock-guardrails', guardrailId: 'gr0abc123', guardrailVersion: '2' };

function policies(template: Template): Record<string, PolicyResource> {
  return template.findResources('AWS::IAM::Policy') as Record<string, PolicyResource>;
}

/** Every statement of every policy attached to the role whose logical id contains `roleFragment`. */
function statementsOf(template: Template, roleFragment: string): Statement[] {
  const role = logicalId(template, 'AWS::IAM::Role', roleFragment);
  return Object.values(policies(template))
    .filter((policy) => policy.Properties.Roles.some((attached) => attached.Ref === role))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement);
}

/** The statements that mention Comprehend or Bedrock, wherever they are. */
function managedStatements(template: Template): Statement[] {
  return Object.values(policies(template))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement)
    .filter((statement) => JSON.stringify(statement.Action).match(/comprehend:|bedrock:/));
}

const synthWith = (managed: ManagedDetectionConfig) => synthGateway({ config: { ...SAMPLE_CONFIG, pii: { managed } } });

function nagFindings(stack: Stack): string[] {
  return new AwsSolutionsChecks().validateScope(stack).violations.map((v) => `${v.severity} ${v.ruleName}`);
}

describe('managed PII detection off (the default)', () => {
  test('grants no Comprehend or Bedrock action to any role', () => {
    const { template } = synthGateway();
    expect(managedStatements(template)).toEqual([]);
    expect(Object.keys(policies(template)).filter((id) => id.includes('ManagedPii'))).toEqual([]);
  });
});

describe('managed PII detection with Amazon Comprehend', () => {
  const { template } = synthWith({ ...COMPREHEND, languageCode: 'es', minScore: 0.9 });

  test('the gateway function may call comprehend:DetectPiiEntities, the one action, on "*" (it has no resource type)', () => {
    expect(managedStatements(template)).toEqual([{ Effect: 'Allow', Action: 'comprehend:DetectPiiEntities', Resource: '*' }]);
    expect(statementsOf(template, 'GatewayFunctionRole')).toContainEqual({ Effect: 'Allow', Action: 'comprehend:DetectPiiEntities', Resource: '*' });
  });

  test('the admin function gets nothing of it', () => {
    expect(JSON.stringify(statementsOf(template, 'AdminFunctionRole'))).not.toMatch(/comprehend|bedrock/);
  });

  test('the statement sits alone in its own policy, which the gateway function waits for', () => {
    const [policyId, ...others] = Object.keys(policies(template)).filter((id) => id.includes('ManagedPiiDetectionPolicy'));
    expect(others).toEqual([]);
    expect(policies(template)[policyId ?? '']?.Properties.PolicyDocument.Statement).toHaveLength(1);
    const gateway = template.findResources('AWS::Lambda::Function', { Properties: { Timeout: 900 } });
    expect(Object.values(gateway).map((fn) => (fn as { DependsOn?: string[] }).DependsOn ?? [])).toEqual([expect.arrayContaining([policyId])]);
  });
});

describe('managed PII detection with Bedrock Guardrails', () => {
  test('the gateway function may apply the one configured guardrail, in the stack region and account by default', () => {
    const { template } = synthWith(GUARDRAIL);
    const arn = { 'Fn::Join': ['', ['arn:aws:bedrock:us-east-1:', { Ref: 'AWS::AccountId' }, ':guardrail/gr0abc123']] };
    expect(managedStatements(template)).toEqual([{ Effect: 'Allow', Action: 'bedrock:ApplyGuardrail', Resource: arn }]);
    expect(statementsOf(template, 'GatewayFunctionRole')).toContainEqual({ Effect: 'Allow', Action: 'bedrock:ApplyGuardrail', Resource: arn });
    expect(JSON.stringify(statementsOf(template, 'AdminFunctionRole'))).not.toMatch(/comprehend|bedrock/);
  });

  test('a configured region other than the stack region is the region of the granted guardrail', () => {
    const { template } = synthWith({ ...GUARDRAIL, region: 'eu-west-1' });
    expect(managedStatements(template)).toEqual([{
      Effect: 'Allow',
      Action: 'bedrock:ApplyGuardrail',
      Resource: { 'Fn::Join': ['', ['arn:aws:bedrock:eu-west-1:', { Ref: 'AWS::AccountId' }, ':guardrail/gr0abc123']] },
    }]);
  });

  test('in a region-agnostic stack the guardrail is the one in the region the stack is deployed to', () => {
    const stack = new GatewayStack(testApp(), 'Agnostic', { config: { ...SAMPLE_CONFIG, pii: { managed: GUARDRAIL } } });
    expect(managedStatements(Template.fromStack(stack))).toEqual([{
      Effect: 'Allow',
      Action: 'bedrock:ApplyGuardrail',
      Resource: {
        'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':bedrock:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':guardrail/gr0abc123']],
      },
    }]);
  });

  test('a guardrail named by its ARN is granted by exactly that ARN (another account or region included)', () => {
    const arn = 'arn:aws:bedrock:eu-central-1:210987654321:guardrail/gr0abc123';
    const { template } = synthWith({ ...GUARDRAIL, guardrailId: arn });
    expect(managedStatements(template)).toEqual([{ Effect: 'Allow', Action: 'bedrock:ApplyGuardrail', Resource: arn }]);
  });
});

describe('cdk-nag AwsSolutions with managed PII detection', () => {
  const stackWith = (managed: ManagedDetectionConfig, tracing = false) =>
    new GatewayStack(testApp(), 'GateLLM', { config: { ...SAMPLE_CONFIG, pii: { managed } }, gateway: { tracing }, env: { region: 'us-east-1' } });

  test.each([
    ['Comprehend', COMPREHEND, false],
    ['Comprehend with tracing', COMPREHEND, true],
    ['Bedrock Guardrails', GUARDRAIL, false],
  ] as const)('%s: no unacknowledged errors or warnings', (_name, managed, tracing) => {
    expect(nagFindings(stackWith(managed, tracing))).toEqual([]);
  });

  test("Comprehend's \"*\" is a finding without its acknowledgement, and the only one", () => {
    const original = Validations.prototype.acknowledge;
    const withoutManagedPolicy = jest.spyOn(Validations.prototype, 'acknowledge').mockImplementation(function (this: Validations, ...rules: Acknowledgment[]) {
      const scope = (this as unknown as { readonly scope: IConstruct }).scope;
      if (!scope.node.path.includes('ManagedPiiDetectionPolicy')) original.apply(this, rules);
    });
    try {
      expect(nagFindings(stackWith(COMPREHEND))).toEqual(['error AwsSolutions-IAM5[Resource::*]']);
    } finally {
      withoutManagedPolicy.mockRestore();
    }
  });
});
