import { createScanner } from '../../lambda/pii/scanner';
import { PATTERN_PII_TYPES } from '../../lambda/pii/types';
import { buildPiiCorpus, scoreCorpus } from '../support/pii-corpus';

/** Issue 8, "Measured": precision and recall of at least 0.95 for the format- and checksum-defined types. */
const TARGET = 0.95;

describe('detection quality on the labelled corpus', () => {
  const corpus = buildPiiCorpus();
  const scores = scoreCorpus(createScanner(), corpus);

  it('is deterministic and covers every pattern type with positives and hard negatives', () => {
    expect(buildPiiCorpus()).toEqual(corpus);
    for (const type of PATTERN_PII_TYPES) expect(scores[type]?.support).toBeGreaterThanOrEqual(100);
    expect(corpus.samples.filter((entry) => entry.spans.length === 0).length).toBeGreaterThanOrEqual(300);
  });

  it.each(PATTERN_PII_TYPES.map((type) => [type]))('%s: precision and recall are at least 0.95', (type) => {
    const score = scores[type];
    expect(score?.precision).toBeGreaterThanOrEqual(TARGET);
    expect(score?.recall).toBeGreaterThanOrEqual(TARGET);
  });

  it('scores exact spans only: a finding with the wrong boundaries is a false positive and a miss', () => {
    const shifted = { scan: (text: string) => createScanner().scan(text).map((finding) => ({ ...finding, end: finding.end + 1 })) };
    const email = scoreCorpus(shifted, { samples: [{ text: 'mail jane@example.com now', spans: [{ type: 'email', start: 5, end: 21 }] }] }).email;
    expect(email).toMatchObject({ tp: 0, fp: 1, fn: 1, precision: 0, recall: 0, support: 1 });
  });
});
