import { Stack } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { synthGateway } from './helpers';

describe('monitoring', () => {
  const { template } = synthGateway({ alarmEmails: ['oncall@example.com'] });

  test('an alarm topic encrypted at rest and TLS-only, with the given subscribers', () => {
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'oncall@example.com' });
  });

  test('alarms on API 5xx, gateway errors and throttles, admin errors and failed requests, all to the topic', () => {
    const alarms = template.findResources('AWS::CloudWatch::Alarm');
    const names = Object.values(alarms).map((alarm) => (alarm.Properties as { MetricName: string; Namespace: string }));
    expect(names.map((alarm) => `${alarm.Namespace}/${alarm.MetricName}`).sort()).toEqual([
      'AWS/ApiGateway/5XXError', 'AWS/Lambda/Errors', 'AWS/Lambda/Errors', 'AWS/Lambda/Throttles', 'GateLLM/Errors',
    ]);
    for (const alarm of Object.values(alarms)) {
      expect((alarm.Properties as { AlarmActions: unknown[]; TreatMissingData: string }).AlarmActions).toHaveLength(1);
      expect((alarm.Properties as { TreatMissingData: string }).TreatMissingData).toBe('notBreaching');
    }
  });

  test('a dashboard of spend per team and model from the gateway metrics', () => {
    const dashboards = template.findResources('AWS::CloudWatch::Dashboard');
    expect(Object.keys(dashboards)).toHaveLength(1);
    const body = JSON.stringify(Object.values(dashboards)[0]?.Properties);
    // SEARCH expressions (their quotes are escaped twice in the template) find one line per team and per model.
    expect(body).toMatch(/SEARCH\('\{GateLLM,team\} MetricName=\W+CostUsd/);
    expect(body).toMatch(/SEARCH\('\{GateLLM,model\} MetricName=\W+CostUsd/);
  });

  test('the gateway writes its metrics to the namespace the dashboard reads', () => {
    template.hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: Match.objectLike({ GATELLM_METRICS_NAMESPACE: 'GateLLM' }) } });
  });

  test('uses a given topic instead of creating one', () => {
    const { template: custom } = synthGateway({
      alarmTopic: sns.Topic.fromTopicArn(new Stack(), 'Existing', 'arn:aws:sns:us-east-1:123456789012:ops'),
      alarmEmails: ['ignored@example.com'],
    });
    custom.resourceCountIs('AWS::SNS::Topic', 0);
    custom.resourceCountIs('AWS::SNS::Subscription', 0);
    custom.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmActions: ['arn:aws:sns:us-east-1:123456789012:ops'] });
  });
});
