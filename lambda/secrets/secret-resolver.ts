/** Resolves a provider's API key at call time (env locally, Secrets Manager with a TTL cache on AWS). */
export type SecretResolver = (providerName: string) => Promise<string | undefined>;
