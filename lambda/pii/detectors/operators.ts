import type { Finding } from '../types';
import { visitUrlColon } from './api-keys';
import type { PatternDetector } from './detector';
import { couldBeInAddress, visitColon } from './ipv6';
import { valueFollows, visitOperator } from './secret-assignment';
import { COLON, EQUALS, type Triggers } from './triggers';

/**
 * One ordered walk over every `=` and `:` for the detectors that start from them: secret assignments
 * (both operators), IPv6 addresses and Slack webhook URLs (colons: the URL's is the one of `https:`,
 * checked only where a `/` follows). Colons are the commonest trigger in prompts (JSON, YAML,
 * type annotations, URLs, times), so each is found once and shown to every detector, rather
 * than found again by each. Each detector keeps its own resume point: one skipping a value or an address
 * does not make the other miss what is inside it. Each operator first meets its detector's cheap test
 * (valueFollows, couldBeInAddress: a few character reads, small enough for V8 to inline here), which
 * dismisses nine in ten; only the rest call the detector's visit, too large to inline.
 */
export const operatorsDetector: PatternDetector = {
  types: ['secret_assignment', 'aws_secret_key', 'ip_address', 'api_key'],
  triggers: [COLON, EQUALS],
  create(enabled) {
    const wantSecrets = enabled.has('secret_assignment');
    const wantAws = enabled.has('aws_secret_key');
    const assignments = wantSecrets || wantAws;
    const addresses = enabled.has('ip_address');
    const webhooks = enabled.has('api_key');
    return (text: string, out: Finding[], triggers: Triggers) => {
      // Written out, not shared, so that V8 inlines both cheap tests (see findSeparatedKeys).
      let nextEquals = assignments ? triggers.next(EQUALS, 0) : -1;
      let nextColon = triggers.next(COLON, 0);
      let assignmentFrom = 0;
      let addressFrom = 0;
      while (nextEquals !== -1 || nextColon !== -1) {
        const colon = nextEquals === -1 || (nextColon !== -1 && nextColon < nextEquals);
        const at = colon ? nextColon : nextEquals;
        if (assignments && at >= assignmentFrom && valueFollows(text, at)) assignmentFrom = visitOperator(text, at, out, wantSecrets, wantAws);
        if (colon) {
          if (webhooks && text.charCodeAt(at + 1) === 47) visitUrlColon(text, at, out);
          if (addresses && at >= addressFrom && couldBeInAddress(text, at)) addressFrom = visitColon(text, at, out);
          nextColon = triggers.next(COLON, at + 1);
        } else {
          nextEquals = triggers.next(EQUALS, at + 1);
        }
      }
    };
  },
};
