import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { mockClient } from 'aws-sdk-client-mock';
import { buildGatewayTable } from '../../lib/gateway-table';
import { ensureTable } from '../../lambda/stores/dynamo';
import { testApp } from '../infra/helpers';

/** The layout both builders must agree on, in one neutral form: sorted so that order never matters. */
interface Layout {
  readonly attributes: string[];
  readonly keySchema: string[];
  readonly indexes: string[];
  readonly billingMode: string | undefined;
  readonly ttlAttribute: string | undefined;
}

interface KeyElement { AttributeName?: string; KeyType?: string }

const keys = (schema: readonly KeyElement[] | undefined): string =>
  (schema ?? []).map((element) => `${element.AttributeName ?? ''}:${element.KeyType ?? ''}`).join(',');

/** What `ensureTable` sends to DynamoDB when the table does not exist yet. */
async function runtimeLayout(): Promise<Layout> {
  const client = new DynamoDBClient({ region: 'local', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
  const mock = mockClient(client);
  try {
    const missing = Object.assign(new Error('no table'), { name: 'ResourceNotFoundException' });
    mock.on(DescribeTableCommand)
      .rejectsOnce(missing)
      .resolves({ Table: { TableStatus: 'ACTIVE', GlobalSecondaryIndexes: [{ IndexStatus: 'ACTIVE' }] } });
    mock.on(CreateTableCommand).resolves({});
    mock.on(DescribeTimeToLiveCommand).resolves({ TimeToLiveDescription: { TimeToLiveStatus: 'DISABLED' } });
    mock.on(UpdateTimeToLiveCommand).resolves({});
    await ensureTable(client, 'gatellm');

    const create: CreateTableCommandInput | undefined = mock.commandCalls(CreateTableCommand)[0]?.args[0].input;
    const ttl = mock.commandCalls(UpdateTimeToLiveCommand)[0]?.args[0].input.TimeToLiveSpecification;
    return {
      attributes: (create?.AttributeDefinitions ?? []).map((a) => `${a.AttributeName ?? ''}:${a.AttributeType ?? ''}`).sort(),
      keySchema: [keys(create?.KeySchema)],
      indexes: (create?.GlobalSecondaryIndexes ?? [])
        .map((index) => `${index.IndexName ?? ''}(${keys(index.KeySchema)})${index.Projection?.ProjectionType ?? ''}`).sort(),
      billingMode: create?.BillingMode,
      ttlAttribute: ttl?.Enabled === true ? ttl.AttributeName : undefined,
    };
  } finally {
    mock.restore();
    client.destroy();
  }
}

/** What CloudFormation creates on AWS, read from the synthesised template. */
function cdkLayout(): Layout {
  const stack = new Stack(testApp(), 'TableOnly', { env: { region: 'us-east-1' } });
  buildGatewayTable(stack, 'Table', { removalPolicy: RemovalPolicy.DESTROY });
  const tables = Object.values(Template.fromStack(stack).findResources('AWS::DynamoDB::GlobalTable'));
  expect(tables).toHaveLength(1);
  const properties = (tables[0] as { Properties: {
    AttributeDefinitions: { AttributeName: string; AttributeType: string }[];
    KeySchema: KeyElement[];
    GlobalSecondaryIndexes: { IndexName: string; KeySchema: KeyElement[]; Projection: { ProjectionType: string } }[];
    BillingMode: string;
    TimeToLiveSpecification?: { AttributeName?: string; Enabled: boolean };
  } }).Properties;
  return {
    attributes: properties.AttributeDefinitions.map((a) => `${a.AttributeName}:${a.AttributeType}`).sort(),
    keySchema: [keys(properties.KeySchema)],
    indexes: properties.GlobalSecondaryIndexes
      .map((index) => `${index.IndexName}(${keys(index.KeySchema)})${index.Projection.ProjectionType}`).sort(),
    billingMode: properties.BillingMode,
    ttlAttribute: properties.TimeToLiveSpecification?.Enabled === true ? properties.TimeToLiveSpecification.AttributeName : undefined,
  };
}

describe('the gateway table schema', () => {
  it('is the same in the CDK construct (AWS) and in ensureTable (local mode and tests)', async () => {
    const runtime = await runtimeLayout();
    expect(runtime).toEqual(cdkLayout());
    // And it is the layout the stores query: a change here is a data migration, not a refactor.
    expect(runtime).toEqual({
      attributes: ['gsi1pk:S', 'gsi1sk:S', 'pk:S', 'sk:S'],
      keySchema: ['pk:HASH,sk:RANGE'],
      indexes: ['gsi1(gsi1pk:HASH,gsi1sk:RANGE)ALL'],
      billingMode: 'PAY_PER_REQUEST',
      ttlAttribute: 'ttl',
    });
  });
});
