/**
 * The two names detection uses from the Comprehend SDK. Loaded with `import()` on first use; importing
 * the package's namespace there instead would keep all of its ~90 commands in the bundle.
 */
export { ComprehendClient, DetectPiiEntitiesCommand } from '@aws-sdk/client-comprehend';
