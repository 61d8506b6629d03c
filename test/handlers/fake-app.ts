import type { HttpApp, InboundRequest, OutboundResponse } from '../../lambda/http/types';

/** A fake app that records the requests it saw and answers with `respond`. */
export function fakeApp(respond: (request: InboundRequest) => OutboundResponse | Promise<OutboundResponse>): HttpApp & { seen: InboundRequest[] } {
  const seen: InboundRequest[] = [];
  return {
    seen,
    async handle(request) {
      seen.push(request);
      return respond(request);
    },
  };
}
