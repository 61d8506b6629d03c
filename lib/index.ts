export { LlmGateway, type LlmGatewayProps } from './llm-gateway';
export { GatewayStack, type GatewayStackProps } from './gateway-stack';
export { GatewayConfigError } from './gateway-config-file';
export type {
  ApiKeySource,
  GatewayConfig,
  ModelConfig,
  ModelPrice,
  ProviderConfig,
  ProviderType,
  ServerSettings,
} from '../lambda/config/gateway-config';
