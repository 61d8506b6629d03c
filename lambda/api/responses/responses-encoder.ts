import type { EncodeContext, ResponseEncoder, StreamEvent } from '../../canonical/events';
import { toGatewayError } from '../../errors/gateway-error';
import { encodeSseComment, encodeSseEvent } from '../../sse/encoder';
import { ResponseState, type ResponsesFrame } from './response-state';

function frameText(frame: ResponsesFrame): string {
  return encodeSseEvent({ event: frame.type, data: JSON.stringify(frame) });
}

/**
 * Typed events → the OpenAI Responses wire format. The stream is the full typed sequence
 * (`response.created` … `response.completed`), each frame written as soon as the event completing it
 * arrives; the terminal frame waits for the source's end, because usage comes after the finish
 * reason. On a provider failure the caller gets `response.failed`, then the error is rethrown.
 */
export const responsesEncoder: ResponseEncoder = {
  async *encodeStream(events: AsyncIterable<StreamEvent>, context: EncodeContext): AsyncIterable<Uint8Array> {
    let frames = '';
    const state = new ResponseState(context, (frame) => { frames += frameText(frame); });
    const take = (): Uint8Array => {
      const bytes = Buffer.from(frames, 'utf8');
      frames = '';
      return bytes;
    };
    const writeTrailer = (): void => {
      const trailer = context.trailer();
      if (trailer !== undefined && trailer !== '') frames += encodeSseComment(trailer);
    };
    try {
      for await (const event of events) {
        state.accept(event);
        if (frames !== '') yield take();
      }
    } catch (error) {
      // Frames of the events before the failure are already out; a half-built item is left as it is.
      frames = '';
      writeTrailer();
      state.failed(toGatewayError(error));
      yield take();
      throw error;
    }
    state.closeAll();
    writeTrailer();
    state.terminal();
    yield take();
  },

  async encodeJson(events: AsyncIterable<StreamEvent>, context: EncodeContext): Promise<string> {
    const state = new ResponseState(context, () => undefined);
    for await (const event of events) state.accept(event);
    state.closeAll();
    return JSON.stringify(state.finalResponse());
  },
};
