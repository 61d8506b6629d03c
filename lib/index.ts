export { LlmGateway, type LlmGatewayProps } from './llm-gateway';
export { GatewayStack, type GatewayStackProps } from './gateway-stack';
/**
 * `ConfigError` is thrown for an invalid gateway configuration, at synth as at start-up; the message
 * names the field. `GatewayConfigError` is the same class under its earlier name, kept for existing imports.
 */
export { ConfigError, ConfigError as GatewayConfigError } from '../lambda/config/validate-config';
export type {
  ApiKeySource,
  GatewayConfig,
  ModelConfig,
  ModelPrice,
  ProviderConfig,
  ProviderType,
  ServerSettings,
} from '../lambda/config/gateway-config';
