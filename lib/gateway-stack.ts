import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { GatewayConfig } from '../lambda/config/gateway-config';
import { LlmGateway, type LlmGatewayProps } from './llm-gateway';

export interface GatewayStackProps extends StackProps {
  /** The gateway configuration (see `LlmGatewayProps.config`). */
  readonly config: GatewayConfig;
  /**
   * Everything else `LlmGateway` accepts.
   * @default - the LlmGateway defaults
   */
  readonly gateway?: Omit<LlmGatewayProps, 'config'>;
}

/** A deployable stack holding one `LlmGateway`, with the values operators and clients need as outputs. */
export class GatewayStack extends Stack {
  public readonly gateway: LlmGateway;

  constructor(scope: Construct, id: string, props: GatewayStackProps) {
    super(scope, id, props);
    this.gateway = new LlmGateway(this, 'Gateway', { ...props.gateway, config: props.config });

    new CfnOutput(this, 'BaseUrl', {
      description: 'Base URL for Anthropic SDKs and Claude Code (ANTHROPIC_BASE_URL)',
      value: this.gateway.baseUrl,
    });
    new CfnOutput(this, 'OpenAiBaseUrl', {
      description: 'Base URL for OpenAI SDKs, Codex, Cursor and Continue (OPENAI_BASE_URL)',
      value: this.gateway.openAiBaseUrl,
    });
    new CfnOutput(this, 'AdminUrl', {
      description: 'Admin API (IAM/SigV4-authorised), used by the gatellm CLI',
      value: this.gateway.adminUrl,
    });
    new CfnOutput(this, 'TableName', { description: 'DynamoDB table of the gateway', value: this.gateway.table.tableName });
    new CfnOutput(this, 'AlarmTopicArn', {
      description: 'SNS topic of the operational alarms: subscribe your on-call channel',
      value: this.gateway.alarmTopic.topicArn,
    });
    new CfnOutput(this, 'DashboardName', { description: 'CloudWatch dashboard of the gateway', value: this.gateway.dashboard.dashboardName });
    for (const [provider, secret] of Object.entries(this.gateway.providerSecrets)) {
      new CfnOutput(this, `ProviderSecret${outputIdPart(provider)}`, {
        description: `Secret holding the API key of provider "${provider}" (put the key as the plain SecretString)`,
        value: secret.secretArn,
      });
    }
  }
}

/** Output ids allow only letters and digits: `azure-east` → `AzureEast`. */
function outputIdPart(name: string): string {
  return name
    .split(/[^A-Za-z0-9]+/)
    .filter((part) => part.length > 0)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}
