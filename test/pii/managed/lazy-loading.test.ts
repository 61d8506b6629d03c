import { createManagedDetector } from '../../../lambda/pii/managed';

/**
 * A gateway with managed detection off must not pay for the AWS SDK clients at cold start: they are
 * loaded on the first `detect` that has something to send, and only the configured service's.
 */
const mockLoaded: string[] = [];

jest.mock('@aws-sdk/client-comprehend', () => {
  mockLoaded.push('comprehend');
  return {
    ComprehendClient: class {
      send(): Promise<{ Entities: never[] }> {
        return Promise.resolve({ Entities: [] });
      }
    },
    DetectPiiEntitiesCommand: class {
      constructor(readonly input: unknown) {}
    },
  };
});
jest.mock('@aws-sdk/client-bedrock-runtime', () => {
  mockLoaded.push('bedrock-runtime');
  return {};
});

test('importing the module and creating a detector loads no SDK; the first detect with text loads only the configured one', async () => {
  expect(mockLoaded).toEqual([]);
  const detector = createManagedDetector({ service: 'comprehend', region: 'eu-west-1' });
  createManagedDetector({ service: 'bedrock-guardrails', guardrailId: 'abc', guardrailVersion: 'DRAFT' });
  expect(mockLoaded).toEqual([]);

  expect(await detector.detect([])).toEqual([]);
  expect(await detector.detect(['', '  '])).toEqual([[], []]);
  expect(mockLoaded).toEqual([]);

  expect(await detector.detect(['Jane Doe'])).toEqual([[]]);
  expect(await detector.detect(['Jane Doe'])).toEqual([[]]);
  expect(mockLoaded).toEqual(['comprehend']);
});
