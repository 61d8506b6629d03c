/**
 * Resolves a provider secret at call time (env locally, Secrets Manager with a TTL cache on AWS). The
 * name is a provider's name for its API key, or `headerSecretName(provider, header)` for a secret header.
 */
export type SecretResolver = (name: string) => Promise<string | undefined>;
