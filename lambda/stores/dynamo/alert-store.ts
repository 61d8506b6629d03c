import { type DynamoDBClient, PutItemCommand, type QueryCommandInput } from '@aws-sdk/client-dynamodb';
import type { BudgetAlert, BudgetAlertStore, BudgetPeriod, LimitScope } from '../store';
import { type Item, marshalItem, readNumber, readString } from './attributes';
import { GSI1, GSI1_PK, GSI1_SK, isServiceError, PK, queryPages, SK, TTL } from './table';

/**
 * Budget alerts: pk `ALERT#<budgetId>#<periodKey>#<threshold>` written with attribute_not_exists, so one
 * threshold of one period is recorded once however many instances cross it together. Listed newest
 * first through gsi1 `ALERTS`/`<time>#<budgetId>#<threshold>`; alerts are rare (a few per budget per
 * period), so one index partition holds them all. Kept as long as usage records.
 */
const ALERTS_PARTITION = 'ALERTS';
const ALERT_SK = 'ALERT';
const DEFAULT_LIMIT = 100;
const RETENTION_SECONDS = 400 * 86_400;

function fromItem(item: Item): BudgetAlert {
  return {
    budgetId: readString(item, 'budgetId'),
    scope: readString(item, 'scope') as LimitScope,
    scopeId: readString(item, 'scopeId'),
    period: readString(item, 'period') as BudgetPeriod,
    periodKey: readString(item, 'periodKey'),
    threshold: readNumber(item, 'threshold'),
    limitUsd: readNumber(item, 'limitUsd'),
    spentUsd: readNumber(item, 'spentUsd'),
    time: readString(item, 'time'),
  };
}

export function createDynamoAlertStore(client: DynamoDBClient, tableName: string): BudgetAlertStore {
  return {
    async recordAlert(alert) {
      try {
        await client.send(new PutItemCommand({
          TableName: tableName,
          Item: {
            [PK]: { S: `ALERT#${alert.budgetId}#${alert.periodKey}#${alert.threshold}` },
            [SK]: { S: ALERT_SK },
            ...marshalItem({
              [GSI1_PK]: ALERTS_PARTITION, [GSI1_SK]: `${alert.time}#${alert.budgetId}#${alert.threshold}`,
              [TTL]: Math.floor(Date.parse(alert.time) / 1000) + RETENTION_SECONDS,
              ...alert,
            }),
          },
          ConditionExpression: 'attribute_not_exists(#pk)',
          ExpressionAttributeNames: { '#pk': PK },
        }));
        return true;
      } catch (error) {
        if (isServiceError(error, 'ConditionalCheckFailedException')) return false;
        throw error;
      }
    },

    async listAlerts(query = {}) {
      const limit = query.limit ?? DEFAULT_LIMIT;
      const names: Record<string, string> = { '#gsi1pk': GSI1_PK };
      const values: Item = { ':partition': { S: ALERTS_PARTITION } };
      // Sort keys start with the ISO time, so `<to>#…` sorts after `<to>`: BETWEEN keeps `to` exclusive.
      let range = '';
      if (query.from !== undefined || query.to !== undefined) names['#gsi1sk'] = GSI1_SK;
      if (query.from !== undefined && query.to !== undefined) {
        range = ' AND #gsi1sk BETWEEN :from AND :to';
        values[':from'] = { S: query.from };
        values[':to'] = { S: query.to };
      } else if (query.from !== undefined) {
        range = ' AND #gsi1sk >= :from';
        values[':from'] = { S: query.from };
      } else if (query.to !== undefined) {
        range = ' AND #gsi1sk < :to';
        values[':to'] = { S: query.to };
      }
      const input: QueryCommandInput = {
        TableName: tableName, IndexName: GSI1, ScanIndexForward: false,
        KeyConditionExpression: `#gsi1pk = :partition${range}`, ExpressionAttributeNames: names, ExpressionAttributeValues: values,
      };
      if (query.budgetId !== undefined) {
        input.FilterExpression = '#budgetId = :budgetId';
        names['#budgetId'] = 'budgetId';
        values[':budgetId'] = { S: query.budgetId };
      }
      const alerts: BudgetAlert[] = [];
      for await (const page of queryPages(client, input)) {
        alerts.push(...page.map(fromItem));
        if (alerts.length >= limit) break;
      }
      return alerts.slice(0, limit);
    },
  };
}
