import { ComprehendClient, type DetectPiiEntitiesCommandInput, type PiiEntity } from '@aws-sdk/client-comprehend';
import { mockClient } from 'aws-sdk-client-mock';

/** The mocked Comprehend of a test file (each file gets its own module instance), and a client it serves. */
export const comprehend = mockClient(ComprehendClient);
export const comprehendClient = new ComprehendClient({ region: 'us-east-1', credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test' } });

/** What the fake service knows: value, Comprehend type, score. */
const KNOWN: ReadonlyArray<readonly [string, string, number]> = [
  ['Jane Doe', 'NAME', 0.99],
  ['José Álvarez', 'NAME', 0.93],
  ['12 Main St, Springfield', 'ADDRESS', 0.97],
  ['jane@example.com', 'EMAIL', 0.99],
  ['Maybe Person', 'NAME', 0.6],
];

const codePoints = (text: string): number => [...text].length;

/** Answers as Comprehend does: every known value in the text, offsets in code points, end exclusive. */
export function fakeDetect(input: DetectPiiEntitiesCommandInput): { Entities: PiiEntity[] } {
  const text = input.Text ?? '';
  const entities: PiiEntity[] = [];
  for (const [value, type, score] of KNOWN) {
    for (let at = text.indexOf(value); at !== -1; at = text.indexOf(value, at + 1)) {
      const begin = codePoints(text.slice(0, at));
      entities.push({ Type: type as PiiEntity['Type'], Score: score, BeginOffset: begin, EndOffset: begin + codePoints(value) });
    }
  }
  return { Entities: entities };
}
