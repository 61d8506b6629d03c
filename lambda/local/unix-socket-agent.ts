import { Agent } from 'node:http';
import { createConnection, type Socket } from 'node:net';

/**
 * An HTTP agent whose every connection goes to one Unix domain socket, whatever host the request
 * names. The AWS SDK accepts an agent but no socket path; this is how it reaches the embedded store.
 * Keep-alive as the SDK's default agent: one connection per concurrent call, reused.
 */
export class UnixSocketAgent extends Agent {
  constructor(private readonly socketPath: string) {
    super({ keepAlive: true, maxSockets: 50 });
  }

  override createConnection(): Socket {
    return createConnection(this.socketPath);
  }
}
