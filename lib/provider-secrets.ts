import { Construct } from 'constructs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { GatewayConfig, SecretSource } from '../lambda/config/gateway-config';
import { headerSecretName, secretHeaders } from '../lambda/secrets/provider-credentials';
import { acknowledge, PROVIDER_SECRET_ACKNOWLEDGEMENTS } from './nag-acknowledgements';

/** A complete secret ARN ends in the six random characters Secrets Manager appends to the name. */
const COMPLETE_SECRET_ARN = /^arn:[^:]+:secretsmanager:[^:]*:[^:]*:secret:.+-[A-Za-z0-9]{6}$/;

/**
 * One secret per provider that declares an `apiKey`, keyed by provider name.
 *
 * - `apiKey.secretId` names an existing secret (name, partial or complete ARN): it is imported and
 *   never modified.
 * - Otherwise a new secret is created. CloudFormation cannot be handed the real key without writing
 *   it into the template, so the secret starts with a generated random value and the operator puts
 *   the provider key after the first deploy:
 *   `aws secretsmanager put-secret-value --secret-id <arn> --secret-string <key>`.
 *   A generated value rather than a literal placeholder keeps even a fake key out of the template.
 *   CloudFormation only writes a new value when the value source (`GenerateSecretString`) changes, so
 *   the operator's key survives later stack updates. Never change these secrets' generation settings:
 *   that would replace every operator-supplied key with a new random string. Until the operator puts
 *   the key, upstream calls fail with the provider's 401 (reported as `upstream_error`).
 *
 * Credential headers (`providers.X.headers.Y: { env } | { secretId }`) get the same treatment, keyed
 * `<provider>/headers/<header>` (see `headerSecretName`), under their own construct scope so the API key
 * secrets keep their construct ids. The gateway function reads exactly these secrets, nothing wider.
 *
 * Providers without `apiKey` (a local vLLM, say) get no secret.
 */
export function buildProviderSecrets(scope: Construct, config: GatewayConfig): Record<string, secretsmanager.ISecret> {
  const secrets: Record<string, secretsmanager.ISecret> = {};
  const container = new Construct(scope, 'ProviderSecrets');
  let headerContainer: Construct | undefined;
  for (const [name, provider] of Object.entries(config.providers)) {
    if (provider.apiKey !== undefined) {
      secrets[name] = secretFor(container, name, provider.apiKey,
        `GateLLM: API key of provider "${name}". Replace the generated value with the provider key as the plain ` +
        'SecretString (aws secretsmanager put-secret-value --secret-id <this ARN> --secret-string <key>).');
    }
    const headers = secretHeaders(provider);
    if (headers.length === 0) continue;
    headerContainer ??= new Construct(scope, 'ProviderHeaderSecrets');
    const providerScope = new Construct(headerContainer, name);
    for (const [header, source] of headers) {
      secrets[headerSecretName(name, header)] = secretFor(providerScope, header, source,
        `GateLLM: value of header "${header}" sent to provider "${name}". Replace the generated value with the real ` +
        'one as the plain SecretString (aws secretsmanager put-secret-value --secret-id <this ARN> --secret-string <value>).');
    }
  }
  return secrets;
}

function secretFor(scope: Construct, id: string, source: SecretSource, description: string): secretsmanager.ISecret {
  return source.secretId === undefined ? createSecret(scope, id, description) : importSecret(scope, id, source.secretId);
}

function createSecret(scope: Construct, id: string, description: string): secretsmanager.ISecret {
  const secret = new secretsmanager.Secret(scope, id, { description });
  acknowledge(secret, PROVIDER_SECRET_ACKNOWLEDGEMENTS);
  return secret;
}

function importSecret(scope: Construct, id: string, secretId: string): secretsmanager.ISecret {
  if (!secretId.startsWith('arn:')) return secretsmanager.Secret.fromSecretNameV2(scope, id, secretId);
  return COMPLETE_SECRET_ARN.test(secretId)
    ? secretsmanager.Secret.fromSecretCompleteArn(scope, id, secretId)
    : secretsmanager.Secret.fromSecretPartialArn(scope, id, secretId);
}
