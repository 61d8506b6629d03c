import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { mockClient } from 'aws-sdk-client-mock';

/** The mocked Bedrock Runtime of a test file (each file gets its own module instance), and a client it serves. */
export const bedrock = mockClient(BedrockRuntimeClient);
export const bedrockClient = new BedrockRuntimeClient({ region: 'us-east-1', credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test' } });
export const GUARDRAIL_CONFIG = { service: 'bedrock-guardrails', guardrailId: 'gr0abc123', guardrailVersion: '3' } as const;
