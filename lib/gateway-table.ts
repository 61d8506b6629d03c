import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { GATEWAY_TABLE_SCHEMA, GSI1, type KeyAttribute } from '../lambda/stores/dynamo/table-schema';

/** The one secondary index; the runtime's DynamoDB store queries it by this name. */
export const GSI1_NAME = GSI1;

const ATTRIBUTE_TYPES: Readonly<Record<KeyAttribute['type'], dynamodb.AttributeType>> = {
  S: dynamodb.AttributeType.STRING,
  N: dynamodb.AttributeType.NUMBER,
  B: dynamodb.AttributeType.BINARY,
};

function cdkAttribute(attribute: KeyAttribute): dynamodb.Attribute {
  return { name: attribute.name, type: ATTRIBUTE_TYPES[attribute.type] };
}

/** What one function may do with the table. Query is always allowed, on the table and `gsi1`. */
export interface TableAccess {
  /** Actions on the table's items (resource: the table only). */
  readonly itemActions: readonly string[];
  /** Whether Scan is allowed on `gsi1` (never on the table itself, whose bulk is usage records). */
  readonly scanIndex: boolean;
}

/**
 * The gateway's request path: key lookup, counters and rate-limit windows (Get/Put/Update) and usage
 * records, written 25 at a time (`UsageStore.putUsages` → BatchWriteItem). IAM cannot limit
 * BatchWriteItem to puts, so this role could also delete in batches; PutItem alone already lets it
 * overwrite any item, so that adds little. BatchGetItem only reads items by key (a refused limit reads
 * its counter shards), and there is no Scan: the role cannot dump the table.
 * test/infra/granted-actions.test.ts runs both functions' code against a store and checks that every
 * DynamoDB call they make is granted here.
 */
export const GATEWAY_TABLE_ACCESS: TableAccess = {
  // BatchGetItem: a refused budget or limit reads all its counter shards in one call.
  itemActions: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:BatchWriteItem'],
  scanIndex: false,
};

/**
 * The admin API also deletes (budgets, limits, a failed user's email claim), reads a budget's counter
 * shards (BatchGetItem) and lists all keys with a Scan of the sparse `gsi1`, which holds entities only,
 * never usage records.
 */
export const ADMIN_TABLE_ACCESS: TableAccess = {
  itemActions: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
  scanIndex: true,
};

export interface GatewayTableOptions {
  readonly removalPolicy: RemovalPolicy;
  readonly maxReadRequestUnits?: number;
  readonly maxWriteRequestUnits?: number;
}

/**
 * The single table behind every store, built from the key schema the runtime's `ensureTable` also
 * reads (lambda/stores/dynamo/table-schema.ts; test/stores/table-schema.test.ts ties the two).
 */
export function buildGatewayTable(scope: Construct, id: string, options: GatewayTableOptions): dynamodb.TableV2 {
  const schema = GATEWAY_TABLE_SCHEMA;
  const caps = {
    ...(options.maxReadRequestUnits === undefined ? {} : { maxReadRequestUnits: options.maxReadRequestUnits }),
    ...(options.maxWriteRequestUnits === undefined ? {} : { maxWriteRequestUnits: options.maxWriteRequestUnits }),
  };
  return new dynamodb.TableV2(scope, id, {
    partitionKey: cdkAttribute(schema.partitionKey),
    sortKey: cdkAttribute(schema.sortKey),
    globalSecondaryIndexes: schema.globalSecondaryIndexes.map((index) => ({
      indexName: index.indexName,
      partitionKey: cdkAttribute(index.partitionKey),
      sortKey: cdkAttribute(index.sortKey),
      projectionType: dynamodb.ProjectionType[index.projection],
      // The caps bound the index too; otherwise a runaway usage query could still spend freely.
      ...caps,
    })),
    // Traffic follows people's working hours and bursts with agents: on-demand fits; the optional caps bound the bill.
    // (schema.billingMode is PAY_PER_REQUEST; TableV2 spells it as Billing.onDemand.)
    billing: dynamodb.Billing.onDemand(caps),
    timeToLiveAttribute: schema.timeToLiveAttribute,
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    // The AWS-managed key (aws/dynamodb) rather than the default DynamoDB-owned key: every use of the key
    // is visible in the account's CloudTrail, at no key-management cost. A customer-managed key would add a
    // key policy to maintain and kms grants on both roles for little gain on this data.
    encryption: dynamodb.TableEncryptionV2.awsManagedKey(),
    // Protection follows the removal policy: a retained table should also survive a mistaken manual delete,
    // while a table the user asked to destroy (dev stacks) must be deletable.
    deletionProtection: options.removalPolicy === RemovalPolicy.RETAIN,
    removalPolicy: options.removalPolicy,
  });
}

/**
 * Grants exactly `access` on the table and `gsi1`, naming both resources.
 *
 * Written out instead of `grantReadWriteData`, which would add Scan, BatchGetItem, DeleteItem and
 * `index/*` to every function whether it needs them or not.
 */
export function grantTableAccess(grantee: iam.IGrantable, table: dynamodb.TableV2, access: TableAccess): void {
  const indexArn = `${table.tableArn}/index/${GSI1_NAME}`;
  const principal = grantee.grantPrincipal;
  principal.addToPrincipalPolicy(new iam.PolicyStatement({ actions: [...access.itemActions], resources: [table.tableArn] }));
  principal.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['dynamodb:Query'], resources: [table.tableArn, indexArn] }));
  if (access.scanIndex) principal.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['dynamodb:Scan'], resources: [indexArn] }));
}
