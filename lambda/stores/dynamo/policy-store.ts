import { DeleteItemCommand, type DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { Budget, BudgetPeriod, LimitScope, Policy, PolicyStore, RateLimits } from '../store';
import { type Item, marshalItem, optionalNumber, optionalStringList, readNumber, readString, withoutUndefined } from './attributes';
import { PII_PARTITION, PII_SK, piiPolicyFields, piiPolicyFromItem } from './pii-policy-items';
import { GSI1, GSI1_PK, GSI1_SK, PK, queryPages, SK } from './table';

/**
 * Budgets, rate limits and data-protection rules live in their scope's partition, pk
 * `POLICY#<scope>#<scopeId>`, with sk `BUDGET#<id>`, `LIMITS` or `PII`: everything that governs a scope
 * is one Query (policyOf). Listing uses the sparse gsi1 (`BUDGETS`/<id>, `RATELIMITS` and `PIIPOLICIES`
 * /<scope>#<scopeId>); policies are few, so one index partition each is no hot spot. A budget found by id goes through a pointer item pk `BUDGET#<id>`
 * (consistent reads, unlike the index), so an admin can create a budget and delete it the next moment.
 */
const BUDGETS_PARTITION = 'BUDGETS';
const LIMITS_PARTITION = 'RATELIMITS';
const LIMITS_SK = 'LIMITS';
const POINTER_SK = 'BUDGET';

const policyPk = (scope: LimitScope, scopeId: string): string => `POLICY#${scope}#${scopeId}`;
const budgetKey = (budget: Pick<Budget, 'id' | 'scope' | 'scopeId'>): Item => ({ [PK]: { S: policyPk(budget.scope, budget.scopeId) }, [SK]: { S: `BUDGET#${budget.id}` } });
const pointerKey = (id: string): Item => ({ [PK]: { S: `BUDGET#${id}` }, [SK]: { S: POINTER_SK } });
const limitsKey = (scope: LimitScope, scopeId: string): Item => ({ [PK]: { S: policyPk(scope, scopeId) }, [SK]: { S: LIMITS_SK } });
const piiKey = (scope: LimitScope, scopeId: string): Item => ({ [PK]: { S: policyPk(scope, scopeId) }, [SK]: { S: PII_SK } });
const byScope = (a: { scope: LimitScope; scopeId: string }, b: { scope: LimitScope; scopeId: string }): number =>
  `${a.scope}#${a.scopeId}`.localeCompare(`${b.scope}#${b.scopeId}`);

function budgetFromItem(item: Item): Budget {
  const thresholds = optionalStringList(item, 'alertThresholds');
  return withoutUndefined({
    id: readString(item, 'id'),
    scope: readString(item, 'scope') as LimitScope,
    scopeId: readString(item, 'scopeId'),
    limitUsd: readNumber(item, 'limitUsd'),
    period: readString(item, 'period') as BudgetPeriod,
    models: optionalStringList(item, 'models'),
    // Numbers kept as a list of decimal strings: the marshaller's lists hold strings only.
    alertThresholds: thresholds?.map(Number),
    shards: optionalNumber(item, 'shards'),
    createdAt: readString(item, 'createdAt'),
  });
}

function limitsFromItem(item: Item): RateLimits {
  return withoutUndefined({
    scope: readString(item, 'scope') as LimitScope,
    scopeId: readString(item, 'scopeId'),
    requestsPerMinute: optionalNumber(item, 'requestsPerMinute'),
    tokensPerMinute: optionalNumber(item, 'tokensPerMinute'),
    concurrentRequests: optionalNumber(item, 'concurrentRequests'),
    shards: optionalNumber(item, 'shards'),
    updatedAt: readString(item, 'updatedAt'),
  });
}

export function createDynamoPolicyStore(client: DynamoDBClient, tableName: string): PolicyStore {
  async function getItem(key: Item): Promise<Item | undefined> {
    const { Item: item } = await client.send(new GetItemCommand({ TableName: tableName, Key: key, ConsistentRead: true }));
    return item;
  }

  /** The scope's partition, or only its items whose sk starts with `skPrefix`. */
  async function queryScope(scope: LimitScope, scopeId: string, skPrefix?: string): Promise<Item[]> {
    const items: Item[] = [];
    for await (const page of queryPages(client, {
      TableName: tableName,
      KeyConditionExpression: skPrefix === undefined ? '#pk = :pk' : '#pk = :pk AND begins_with(#sk, :prefix)',
      ExpressionAttributeNames: { '#pk': PK, ...(skPrefix === undefined ? {} : { '#sk': SK }) },
      ExpressionAttributeValues: { ':pk': { S: policyPk(scope, scopeId) }, ...(skPrefix === undefined ? {} : { ':prefix': { S: skPrefix } }) },
      ConsistentRead: true,
    })) items.push(...page);
    return items;
  }

  async function queryIndex(partition: string): Promise<Item[]> {
    const items: Item[] = [];
    for await (const page of queryPages(client, {
      TableName: tableName,
      IndexName: GSI1,
      KeyConditionExpression: '#gsi1pk = :partition',
      ExpressionAttributeNames: { '#gsi1pk': GSI1_PK },
      ExpressionAttributeValues: { ':partition': { S: partition } },
    })) items.push(...page);
    return items;
  }

  async function getBudget(id: string): Promise<Budget | undefined> {
    const pointer = await getItem(pointerKey(id));
    if (pointer === undefined) return undefined;
    const item = await getItem(budgetKey({ id, scope: readString(pointer, 'scope') as LimitScope, scopeId: readString(pointer, 'scopeId') }));
    return item === undefined ? undefined : budgetFromItem(item);
  }

  return {
    async putBudget(budget) {
      // Pointer first: a budget item is never enforced without being findable (and deletable) by id.
      await client.send(new PutItemCommand({ TableName: tableName, Item: { ...pointerKey(budget.id), ...marshalItem({ scope: budget.scope, scopeId: budget.scopeId }) } }));
      await client.send(new PutItemCommand({
        TableName: tableName,
        Item: {
          ...budgetKey(budget),
          ...marshalItem({
            [GSI1_PK]: BUDGETS_PARTITION, [GSI1_SK]: budget.id,
            id: budget.id, scope: budget.scope, scopeId: budget.scopeId, limitUsd: budget.limitUsd, period: budget.period,
            models: budget.models, alertThresholds: budget.alertThresholds?.map(String), shards: budget.shards, createdAt: budget.createdAt,
          }),
        },
      }));
    },

    getBudget,

    async deleteBudget(id) {
      const budget = await getBudget(id);
      if (budget === undefined) return undefined;
      // The budget item first: a leftover pointer is harmless, a leftover budget would still be enforced.
      await client.send(new DeleteItemCommand({ TableName: tableName, Key: budgetKey(budget) }));
      await client.send(new DeleteItemCommand({ TableName: tableName, Key: pointerKey(id) }));
      return budget;
    },

    async listBudgets(filter = {}) {
      const items = filter.scope !== undefined && filter.scopeId !== undefined
        ? await queryScope(filter.scope, filter.scopeId, 'BUDGET#')
        : await queryIndex(BUDGETS_PARTITION);
      return items.map(budgetFromItem)
        .filter((budget) => (filter.scope === undefined || budget.scope === filter.scope) && (filter.scopeId === undefined || budget.scopeId === filter.scopeId))
        .sort((a, b) => a.id.localeCompare(b.id));
    },

    async putRateLimits(limits) {
      await client.send(new PutItemCommand({
        TableName: tableName,
        Item: {
          ...limitsKey(limits.scope, limits.scopeId),
          ...marshalItem({
            [GSI1_PK]: LIMITS_PARTITION, [GSI1_SK]: `${limits.scope}#${limits.scopeId}`,
            scope: limits.scope, scopeId: limits.scopeId, requestsPerMinute: limits.requestsPerMinute, tokensPerMinute: limits.tokensPerMinute,
            concurrentRequests: limits.concurrentRequests, shards: limits.shards, updatedAt: limits.updatedAt,
          }),
        },
      }));
    },

    async deleteRateLimits(scope, scopeId) {
      const { Attributes: old } = await client.send(new DeleteItemCommand({ TableName: tableName, Key: limitsKey(scope, scopeId), ReturnValues: 'ALL_OLD' }));
      return old === undefined ? undefined : limitsFromItem(old);
    },

    async listRateLimits() {
      return (await queryIndex(LIMITS_PARTITION)).map(limitsFromItem).sort(byScope);
    },

    async putPiiPolicy(policy) {
      await client.send(new PutItemCommand({ TableName: tableName, Item: { ...piiKey(policy.scope, policy.scopeId), ...piiPolicyFields(policy) } }));
    },

    async deletePiiPolicy(scope, scopeId) {
      const { Attributes: old } = await client.send(new DeleteItemCommand({ TableName: tableName, Key: piiKey(scope, scopeId), ReturnValues: 'ALL_OLD' }));
      return old === undefined ? undefined : piiPolicyFromItem(old);
    },

    async listPiiPolicies() {
      return (await queryIndex(PII_PARTITION)).map(piiPolicyFromItem).sort(byScope);
    },

    async policyOf(scope, scopeId) {
      // One Query over the scope's partition: its budgets (BUDGET#...), its LIMITS item and its PII item.
      const items = await queryScope(scope, scopeId);
      const budgets = items.filter((item) => readString(item, SK).startsWith('BUDGET#')).map(budgetFromItem);
      const limitsItem = items.find((item) => readString(item, SK) === LIMITS_SK);
      const piiItem = items.find((item) => readString(item, SK) === PII_SK);
      const policy: Policy = {
        budgets,
        ...(limitsItem === undefined ? {} : { rateLimits: limitsFromItem(limitsItem) }),
        ...(piiItem === undefined ? {} : { pii: piiPolicyFromItem(piiItem) }),
      };
      return policy;
    },
  };
}
