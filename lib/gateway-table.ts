import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';

/** The one secondary index; the runtime's DynamoDB store queries it by this name. */
export const GSI1_NAME = 'gsi1';

/** Item attribute holding the epoch-seconds expiry of usage records and rate-limit windows. */
export const TTL_ATTRIBUTE = 'ttl';

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
 * overwrite any item, so that adds little. No Scan and no BatchGetItem: the role cannot dump the table.
 */
export const GATEWAY_TABLE_ACCESS: TableAccess = {
  itemActions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:BatchWriteItem'],
  scanIndex: false,
};

/**
 * The admin API also deletes (teams, limits) and lists all keys with a Scan of the sparse `gsi1`,
 * which holds teams and keys only, never usage records.
 */
export const ADMIN_TABLE_ACCESS: TableAccess = {
  itemActions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
  scanIndex: true,
};

export interface GatewayTableOptions {
  readonly removalPolicy: RemovalPolicy;
  readonly maxReadRequestUnits?: number;
  readonly maxWriteRequestUnits?: number;
}

/**
 * The single table behind every store: generic `pk`/`sk` keys plus one overloaded GSI, so new
 * entity types need no schema change and the table needs no migration.
 */
export function buildGatewayTable(scope: Construct, id: string, options: GatewayTableOptions): dynamodb.TableV2 {
  const caps = {
    ...(options.maxReadRequestUnits === undefined ? {} : { maxReadRequestUnits: options.maxReadRequestUnits }),
    ...(options.maxWriteRequestUnits === undefined ? {} : { maxWriteRequestUnits: options.maxWriteRequestUnits }),
  };
  return new dynamodb.TableV2(scope, id, {
    partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
    sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
    globalSecondaryIndexes: [
      {
        indexName: GSI1_NAME,
        partitionKey: { name: 'gsi1pk', type: dynamodb.AttributeType.STRING },
        sortKey: { name: 'gsi1sk', type: dynamodb.AttributeType.STRING },
        projectionType: dynamodb.ProjectionType.ALL,
        // The caps bound the index too; otherwise a runaway usage query could still spend freely.
        ...caps,
      },
    ],
    // Traffic follows people's working hours and bursts with agents: on-demand fits; the optional caps bound the bill.
    billing: dynamodb.Billing.onDemand(caps),
    timeToLiveAttribute: TTL_ATTRIBUTE,
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
