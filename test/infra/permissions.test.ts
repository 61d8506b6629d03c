import { Match, type Template } from 'aws-cdk-lib/assertions';
import { logicalId, synthGateway } from './helpers';

interface Statement {
  readonly Action: string | string[];
  readonly Resource: unknown;
  readonly Effect: string;
}

/** The statements of the default policy attached to the role whose logical id contains `roleFragment`. */
function statementsOf(template: Template, roleFragment: string): Statement[] {
  const role = logicalId(template, 'AWS::IAM::Role', roleFragment);
  const policies = Object.values(template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: role }] } })) as Array<{
    Properties: { PolicyDocument: { Statement: Statement[] } };
  }>;
  expect(policies).toHaveLength(1);
  return (policies[0] as (typeof policies)[number]).Properties.PolicyDocument.Statement;
}

const actionsOf = (statements: Statement[], prefix: string): string[] =>
  statements
    .flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]))
    .filter((action) => action.startsWith(prefix))
    .sort();

describe('least-privilege roles', () => {
  const { template } = synthGateway();
  const table = logicalId(template, 'AWS::DynamoDB::GlobalTable', 'Table');
  const tableArn = { 'Fn::GetAtt': [table, 'Arn'] };
  const indexArn = { 'Fn::Join': ['', [tableArn, '/index/gsi1']] };
  const gateway = statementsOf(template, 'GatewayFunctionRole');
  const admin = statementsOf(template, 'AdminFunctionRole');

  test('the gateway may get, batch-get, put, update, batch-write and query: no DeleteItem, Scan or wildcard', () => {
    expect(actionsOf(gateway, 'dynamodb:')).toEqual([
      'dynamodb:BatchGetItem',
      'dynamodb:BatchWriteItem',
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:Query',
      'dynamodb:UpdateItem',
    ]);
  });

  test('item actions apply to the table, Query to the table and gsi1 only', () => {
    expect(gateway).toContainEqual({
      Effect: 'Allow',
      Action: ['dynamodb:BatchGetItem', 'dynamodb:BatchWriteItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
      Resource: tableArn,
    });
    expect(gateway).toContainEqual({ Effect: 'Allow', Action: 'dynamodb:Query', Resource: [tableArn, indexArn] });
  });

  test('the admin API may also delete and scan gsi1 (never the table), and reads no secrets', () => {
    expect(actionsOf(admin, 'dynamodb:')).toEqual([
      'dynamodb:BatchGetItem',
      'dynamodb:DeleteItem',
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:Query',
      'dynamodb:Scan',
      'dynamodb:UpdateItem',
    ]);
    expect(admin).toContainEqual({ Effect: 'Allow', Action: 'dynamodb:Scan', Resource: indexArn });
    expect(actionsOf(admin, 'secretsmanager:')).toEqual([]);
  });

  test('the gateway reads exactly the provider secrets, never `*`', () => {
    const secretStatements = gateway.filter((s) => actionsOf([s], 'secretsmanager:').length > 0);
    expect(secretStatements).toHaveLength(1);
    const [statement] = secretStatements as [Statement];
    expect(actionsOf([statement], 'secretsmanager:')).toEqual(['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue']);
    expect(statement.Resource).toEqual(
      expect.arrayContaining([
        { Ref: logicalId(template, 'AWS::SecretsManager::Secret', 'openai') },
        'arn:aws:secretsmanager:us-east-1:123456789012:secret:team/groq-AbC123',
        { 'Fn::Join': ['', ['arn:aws:secretsmanager:us-east-1:', { Ref: 'AWS::AccountId' }, ':secret:shared/together-key-??????']] },
      ]),
    );
    expect(statement.Resource).toHaveLength(3);
  });

  test('no statement in any policy uses a `*` action or resource', () => {
    const all = [...gateway, ...admin];
    expect(all.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action])).filter((a) => a.includes('*'))).toEqual([]);
    expect(JSON.stringify(all.map((s) => s.Resource))).not.toMatch(/"\*"|\/\*"/);
  });

  test('functions log only to their own log group', () => {
    expect(gateway).toContainEqual({
      Effect: 'Allow',
      Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      Resource: { 'Fn::GetAtt': [logicalId(template, 'AWS::Logs::LogGroup', 'GatewayFunctionLogs'), 'Arn'] },
    });
    template.resourcePropertiesCountIs('AWS::IAM::Role', { ManagedPolicyArns: Match.anyValue() }, 1); // only API Gateway's logging role
  });
});

describe('provider secrets', () => {
  const { template, gateway } = synthGateway();

  test('a secret is created for each keyed provider without secretId, and none for keyless ones', () => {
    template.resourceCountIs('AWS::SecretsManager::Secret', 1);
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      Description: Match.stringLikeRegexp('provider "openai".*put-secret-value'),
    });
    expect(Object.keys(gateway.providerSecrets).sort()).toEqual(['groq', 'openai', 'together']);
  });

  test('a secretId imports the existing secret, by complete ARN or by name', () => {
    expect(gateway.providerSecrets.groq?.secretArn).toBe('arn:aws:secretsmanager:us-east-1:123456789012:secret:team/groq-AbC123');
    expect(gateway.providerSecrets.together?.secretName).toBe('shared/together-key');
  });

  test('an ARN without the random suffix is imported as a partial ARN and granted with the suffix wildcard', () => {
    const partial = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:llm/mistral';
    const { template: t, gateway: g } = synthGateway({
      config: {
        providers: { mistral: { type: 'openai', baseUrl: 'https://api.mistral.ai/v1', apiKey: { secretId: partial } } },
        models: { small: { provider: 'mistral', model: 'mistral-small-latest', price: { input: 0.1, output: 0.3 } } },
      },
    });
    expect(g.providerSecrets.mistral?.secretArn).toBe(partial);
    t.resourceCountIs('AWS::SecretsManager::Secret', 0);
    t.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Resource: `${partial}-??????` })]) },
    });
  });

  test('the functions get provider → secret ARN as JSON', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Timeout: 900,
      Environment: {
        Variables: Match.objectLike({
          GATELLM_PROVIDER_SECRETS: {
            'Fn::Join': [
              '',
              [
                '{"openai":"',
                { Ref: logicalId(template, 'AWS::SecretsManager::Secret', 'openai') },
                '","groq":"arn:aws:secretsmanager:us-east-1:123456789012:secret:team/groq-AbC123","together":"arn:aws:secretsmanager:us-east-1:',
                { Ref: 'AWS::AccountId' },
                ':secret:shared/together-key"}',
              ],
            ],
          },
        }),
      },
    });
  });
});
