import type { ProviderResult, WireFormat } from '../providers/provider';
import type { AnswerRewriter } from './stage';

/**
 * The provider's answer with the stages' rewriters applied, innermost first, in whichever of its three
 * shapes it came. Without rewriters the result is returned as it is: the pass-through stays byte-exact.
 */
export function rewriteAnswer(result: ProviderResult, rewriters: readonly AnswerRewriter[], format: WireFormat): ProviderResult {
  if (rewriters.length === 0) return result;
  switch (result.kind) {
    case 'json':
      return { ...result, body: rewriters.reduce((body, rewriter) => rewriter.json(body, format), result.body) };
    case 'stream':
      return { ...result, stream: rewriters.reduce((stream, rewriter) => rewriter.stream(stream, format), result.stream) };
    case 'events':
      return { ...result, events: rewriters.reduce((events, rewriter) => rewriter.events(events), result.events) };
  }
}
