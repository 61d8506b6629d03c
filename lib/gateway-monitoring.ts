import { Duration } from 'aws-cdk-lib';
import type * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

/** The namespace the gateway's EMF request lines write to (lambda/logging/request-log.ts). */
export const METRICS_NAMESPACE = 'GateLLM';

export interface GatewayMonitoringOptions {
  readonly api: apigateway.RestApi;
  readonly gatewayFunction: lambda.IFunction;
  readonly adminFunction: lambda.IFunction;
  readonly table: dynamodb.ITableV2;
  /** Where alarms go; a new encrypted topic when absent. */
  readonly alarmTopic?: sns.ITopic;
  /** Addresses subscribed to the new topic (they confirm by e-mail). */
  readonly alarmEmails: readonly string[];
}

const PERIOD = Duration.minutes(5);

/** A gateway metric from the EMF request lines, summed over all teams, models and providers. */
function gatewayMetric(name: string, statistic: string, label?: string): cloudwatch.Metric {
  return new cloudwatch.Metric({ namespace: METRICS_NAMESPACE, metricName: name, statistic, period: PERIOD, ...(label === undefined ? {} : { label }) });
}

/** One line per value of `dimension` (team, model or provider), found by a SEARCH expression. */
function perDimension(name: string, dimension: string, statistic: string): cloudwatch.MathExpression {
  return new cloudwatch.MathExpression({
    expression: `SEARCH('{${METRICS_NAMESPACE},${dimension}} MetricName="${name}"', '${statistic}', ${PERIOD.toSeconds()})`,
    usingMetrics: {},
    label: '',
    period: PERIOD,
  });
}

/**
 * Operational alarms (to SNS) and a dashboard: spend and traffic per team, model and provider from
 * the gateway's own metrics, and the health of API Gateway, both functions and the table.
 */
export class GatewayMonitoring extends Construct {
  readonly alarmTopic: sns.ITopic;
  readonly dashboard: cloudwatch.Dashboard;
  readonly alarms: readonly cloudwatch.Alarm[];

  constructor(scope: Construct, id: string, options: GatewayMonitoringOptions) {
    super(scope, id);
    this.alarmTopic = options.alarmTopic ?? new sns.Topic(this, 'AlarmTopic', {
      displayName: 'GateLLM alarms',
      // Encrypted at rest with the AWS-managed SNS key; publishers must use TLS.
      masterKey: kms.Alias.fromAliasName(this, 'SnsKey', 'alias/aws/sns'),
      enforceSSL: true,
    });
    if (options.alarmTopic === undefined) {
      for (const email of options.alarmEmails) this.alarmTopic.addSubscription(new subscriptions.EmailSubscription(email));
    }

    const api = options.api;
    const alarmSpecs: ReadonlyArray<[string, cloudwatch.IMetric, number, string]> = [
      ['Api5xx', api.metricServerError({ period: PERIOD, statistic: 'Sum' }), 5,
        'API Gateway answered 5xx (gateway function failed or timed out) more than 5 times in 5 minutes.'],
      ['GatewayErrors', options.gatewayFunction.metricErrors({ period: PERIOD, statistic: 'Sum' }), 5,
        'The gateway function raised errors (crashes, timeouts; client disconnects mid-stream also count) more than 5 times in 5 minutes.'],
      ['GatewayThrottles', options.gatewayFunction.metricThrottles({ period: PERIOD, statistic: 'Sum' }), 1,
        'The gateway function was throttled: the account or reserved concurrency limit is reached.'],
      ['AdminErrors', options.adminFunction.metricErrors({ period: PERIOD, statistic: 'Sum' }), 1,
        'The admin function raised errors.'],
      ['FailedRequests', gatewayMetric('Errors', 'Sum'), 25,
        'More than 25 requests by known keys failed in 5 minutes (provider errors and timeouts, models the key may not use).'],
    ];
    this.alarms = alarmSpecs.map(([name, metric, threshold, description]) => {
      const alarm = new cloudwatch.Alarm(this, name, {
        metric, threshold, evaluationPeriods: 1, alarmDescription: description,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      alarm.addAlarmAction(new actions.SnsAction(this.alarmTopic));
      return alarm;
    });

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', { defaultInterval: Duration.days(1) });
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({ title: 'Cost (USD) per team', left: [perDimension('CostUsd', 'team', 'Sum')], width: 12 }),
      new cloudwatch.GraphWidget({ title: 'Cost (USD) per model', left: [perDimension('CostUsd', 'model', 'Sum')], width: 12 }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({ title: 'Requests per provider', left: [perDimension('Requests', 'provider', 'Sum')], width: 8 }),
      new cloudwatch.GraphWidget({ title: 'Tokens', left: [gatewayMetric('InputTokens', 'Sum', 'input'), gatewayMetric('OutputTokens', 'Sum', 'output'), gatewayMetric('CachedTokens', 'Sum', 'cached')], width: 8 }),
      new cloudwatch.GraphWidget({ title: 'Latency and time to first token (p50, p99 ms)', width: 8, left: [
        gatewayMetric('LatencyMs', 'p50', 'latency p50'), gatewayMetric('LatencyMs', 'p99', 'latency p99'),
        gatewayMetric('TimeToFirstTokenMs', 'p50', 'TTFT p50'), gatewayMetric('TimeToFirstTokenMs', 'p99', 'TTFT p99'),
      ] }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({ title: 'API Gateway', width: 8, left: [
        api.metricCount({ period: PERIOD, statistic: 'Sum' }), api.metricClientError({ period: PERIOD, statistic: 'Sum' }),
        api.metricServerError({ period: PERIOD, statistic: 'Sum' }),
      ] }),
      new cloudwatch.GraphWidget({ title: 'Gateway function', width: 8, left: [
        options.gatewayFunction.metricInvocations({ period: PERIOD }), options.gatewayFunction.metricErrors({ period: PERIOD }),
        options.gatewayFunction.metricThrottles({ period: PERIOD }),
      ], right: [options.gatewayFunction.metricDuration({ period: PERIOD, statistic: 'p99' })] }),
      new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: [...this.alarms], width: 8 }),
    );
  }
}
