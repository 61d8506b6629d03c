/**
 * The two names detection uses from the Bedrock Runtime SDK. Loaded with `import()` on first use;
 * importing the package's namespace there instead would keep every command (and its event streams) in the bundle.
 */
export { ApplyGuardrailCommand, BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
