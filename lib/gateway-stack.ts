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

    // The construct emits the URL outputs itself; here they get the short, fixed names operators script against.
    this.gateway.outputs.baseUrl.overrideLogicalId('BaseUrl');
    this.gateway.outputs.openAiBaseUrl.overrideLogicalId('OpenAiBaseUrl');
    this.gateway.outputs.adminUrl.overrideLogicalId('AdminUrl');
    new CfnOutput(this, 'TableName', { description: 'DynamoDB table of the gateway', value: this.gateway.table.tableName });
    new CfnOutput(this, 'AlarmTopicArn', {
      description: 'SNS topic of the operational alarms: subscribe your on-call channel',
      value: this.gateway.alarmTopic.topicArn,
    });
    new CfnOutput(this, 'DashboardName', { description: 'CloudWatch dashboard of the gateway', value: this.gateway.dashboard.dashboardName });
    for (const [name, secret] of Object.entries(this.gateway.providerSecrets)) {
      // Resolver names: `<provider>` for the API key, `<provider>/headers/<header>` for a secret header.
      const [provider, , header] = name.split('/');
      const holds = header === undefined ? 'the API key' : `the "${header}" header value`;
      new CfnOutput(this, `ProviderSecret${outputIdPart(name)}`, {
        description: `Secret holding ${holds} of provider "${provider}" (put it as the plain SecretString)`,
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
