import type { Finding } from '../types';
import { codeAt, isAlnum } from './chars';
import type { PatternDetector } from './detector';

/**
 * AWS access key ids: a resource-type prefix (`AKIA` long-term, `ASIA` temporary, and the `AGPA`, `AIDA`,
 * `AROA`, `AIPA`, `ANPA`, `ANVA`, `APKA` ids that IAM shows alongside keys) and 16 capitals or digits.
 * The secret that goes with one is the aws_secret_key type (secret-assignment.ts).
 */
export const awsAccessKeyDetector: PatternDetector = {
  types: ['aws_access_key'],
  create() {
    const pattern = /A(?:KIA|SIA|GPA|IDA|ROA|IPA|NPA|NVA|PKA)[A-Z0-9]{16}/g;
    return (text: string, out: Finding[]) => {
      pattern.lastIndex = 0;
      while (pattern.test(text)) {
        const end = pattern.lastIndex;
        const start = end - 20;
        if (!isAlnum(codeAt(text, start - 1)) && !isAlnum(codeAt(text, end))) out.push({ type: 'aws_access_key', start, end });
      }
    };
  },
};
