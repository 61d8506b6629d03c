import { Match } from 'aws-cdk-lib/assertions';
import type { GatewayConfig } from '../../lambda/config/gateway-config';
import { createEnvResolver } from '../../lambda/secrets/env-resolver';
import { headerSecretName, resolveSecretHeaders } from '../../lambda/secrets/provider-credentials';
import { secretIdsFromConfig } from '../../lambda/secrets/provider-secrets';
import { synthGateway } from '../infra/helpers';

const IMPORTED = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:azure/api-key-AbC123';

const config: GatewayConfig = {
  providers: {
    azure: {
      type: 'openai',
      baseUrl: 'https://example.openai.azure.com/openai/v1',
      headers: { 'api-key': { secretId: IMPORTED, env: 'AZURE_API_KEY' }, 'x-ms-client-request-id': 'fixed' },
    },
    proxy: {
      type: 'openai',
      baseUrl: 'https://proxy.example.com/v1',
      apiKey: { env: 'PROXY_KEY' },
      headers: { 'proxy-authorization': { env: 'PROXY_AUTH' } },
    },
  },
  models: {
    a: { provider: 'azure', model: 'gpt-4o', price: { input: 1, output: 1 } },
    p: { provider: 'proxy', model: 'gpt-4o', price: { input: 1, output: 1 } },
  },
};

describe('credential headers as secrets', () => {
  it('resolves env header secrets by their own name, separately from the API key', async () => {
    const resolve = createEnvResolver(config, { PROXY_KEY: 'sk-proxy', PROXY_AUTH: 'Basic cHJveHk=', AZURE_API_KEY: 'azure-env' });
    expect(await resolve('proxy')).toBe('sk-proxy');
    expect(await resolve(headerSecretName('proxy', 'proxy-authorization'))).toBe('Basic cHJveHk=');
    expect(await resolve(headerSecretName('azure', 'api-key'))).toBe('azure-env');
    expect(await resolve(headerSecretName('azure', 'x-ms-client-request-id'))).toBeUndefined();
    expect(await resolve(headerSecretName('proxy', 'unknown'))).toBeUndefined();
    expect(await resolve('azure/headers')).toBeUndefined();
  });

  it('fails the call (502, before the provider) when a declared header secret has no value', async () => {
    const resolve = createEnvResolver(config, {});
    const proxy = config.providers.proxy;
    if (proxy === undefined) throw new Error('the fixture has a proxy provider');
    await expect(resolveSecretHeaders(resolve, 'proxy', proxy)).rejects.toMatchObject({
      status: 502,
      message: expect.stringContaining('PROXY_AUTH') as unknown,
    });
  });

  it('collects header secretIds for the Lambda', () => {
    expect(secretIdsFromConfig(config)).toEqual({ [headerSecretName('azure', 'api-key')]: IMPORTED });
  });

  it('on AWS: creates or imports a secret per credential header, and grants the gateway function read on exactly those', () => {
    const { template, gateway } = synthGateway({ config });
    expect(Object.keys(gateway.providerSecrets).sort()).toEqual(['azure/headers/api-key', 'proxy', 'proxy/headers/proxy-authorization']);
    expect(gateway.providerSecrets['azure/headers/api-key']?.secretArn).toBe(IMPORTED);
    template.resourceCountIs('AWS::SecretsManager::Secret', 2);
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      Description: Match.stringLikeRegexp('header "proxy-authorization" sent to provider "proxy".*put-secret-value'),
    });
    const secretResources = Object.values(template.findResources('AWS::IAM::Policy'))
      .flatMap((policy) => (policy as { Properties: { PolicyDocument: { Statement: Array<{ Action: unknown; Resource: unknown }> } } }).Properties.PolicyDocument.Statement)
      .filter((statement) => JSON.stringify(statement.Action).includes('secretsmanager:GetSecretValue'))
      .flatMap((statement): unknown[] => (Array.isArray(statement.Resource) ? (statement.Resource as unknown[]) : [statement.Resource]));
    expect(secretResources).toContainEqual(IMPORTED);
    expect(secretResources).toHaveLength(3);
    expect(secretResources).not.toContainEqual('*');
  });
});
