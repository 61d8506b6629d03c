import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { sendUpstream, type UpstreamRequest } from '../../lambda/http/upstream-client';

/**
 * A raw HTTP/1.1 server that answers the first request on each connection and, when `dropReused`,
 * closes a connection that carries a second request without answering: what a provider does to a
 * keep-alive socket it has already timed out.
 */
async function startServer(dropReused: boolean): Promise<{ url: string; connections: () => number; close(): Promise<void> }> {
  let connections = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    connections += 1;
    sockets.add(socket);
    let requests = 0;
    socket.on('data', () => {
      requests += 1;
      if (requests > 1 && dropReused) {
        socket.destroy();
        return;
      }
      socket.write('HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 11\r\nconnection: keep-alive\r\n\r\n{"ok":true}');
    });
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1/chat/completions`,
    connections: () => connections,
    close: () => new Promise((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    }),
  };
}

function request(url: string): UpstreamRequest {
  return {
    url, method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}',
    signal: new AbortController().signal, firstByteTimeoutMs: 2000, idleTimeoutMs: 2000,
  };
}

describe('sendUpstream', () => {
  it('sends the request line, Host, Content-Length and each header once, as a provider reads them', async () => {
    const seen: { method?: string; url?: string; rawHeaders: string[]; body: string } = { rawHeaders: [], body: '' };
    const server = http.createServer((req, res) => {
      Object.assign(seen, { method: req.method, url: req.url, rawHeaders: req.rawHeaders });
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => { seen.body += chunk; });
      req.on('end', () => res.end('{}'));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const body = JSON.stringify({ text: 'héllo' });
      const response = await sendUpstream({
        ...request(`http://127.0.0.1:${port}/v1/messages?beta=true`),
        headers: { 'content-type': 'application/json', 'X-Api-Key': 'old', 'x-api-key': 'sk-1', 'Content-Length': '1' },
        body,
      });
      await response.readAll(1024);
      const names = seen.rawHeaders.filter((_, index) => index % 2 === 0).map((name) => name.toLowerCase());
      const header = (name: string): string | undefined => seen.rawHeaders[seen.rawHeaders.findIndex((value, index) => index % 2 === 0 && value.toLowerCase() === name) + 1];
      expect(seen).toMatchObject({ method: 'POST', url: '/v1/messages?beta=true', body });
      expect(header('host')).toBe(`127.0.0.1:${port}`);
      expect(header('content-length')).toBe(String(Buffer.byteLength(body)));
      expect(header('x-api-key')).toBe('sk-1');
      expect(names.filter((name) => name === 'x-api-key' || name === 'content-length' || name === 'host')).toHaveLength(3);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('resends once on a fresh socket when a reused keep-alive socket turns out to be closed', async () => {
    const server = await startServer(true);
    try {
      const first = await sendUpstream(request(server.url));
      expect((await first.readAll(1024 * 1024)).toString()).toBe('{"ok":true}');
      const second = await sendUpstream(request(server.url));
      expect(second.status).toBe(200);
      expect((await second.readAll(1024 * 1024)).toString()).toBe('{"ok":true}');
      expect(server.connections()).toBe(2);
    } finally {
      await server.close();
    }
  });

  it('reuses a healthy keep-alive socket', async () => {
    const server = await startServer(false);
    try {
      for (let i = 0; i < 3; i += 1) await (await sendUpstream(request(server.url))).readAll(1024 * 1024);
      expect(server.connections()).toBe(1);
    } finally {
      await server.close();
    }
  });

  it('fails with upstream_error when the provider cannot be reached', async () => {
    await expect(sendUpstream(request('http://127.0.0.1:9/v1/x'))).rejects.toMatchObject({ status: 502, code: 'upstream_error' });
  });

  it('does not call a provider for a request already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(sendUpstream({ ...request('http://127.0.0.1:9/v1/x'), signal: controller.signal })).rejects.toMatchObject({ code: 'upstream_error' });
  });

  describe('readAll(maxBytes)', () => {
    let server: http.Server;
    let url: string;
    let bodyClosed: Promise<void>;
    beforeAll(async () => {
      server = http.createServer((req, res) => {
        bodyClosed = new Promise((resolve) => res.once('close', () => resolve()));
        const size = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('size'));
        const declared = req.url?.includes('declared') === true;
        res.writeHead(200, declared ? { 'content-length': size } : {});
        // Chunked: 1 KiB at a time, so the limit is crossed mid-body.
        const piece = Buffer.alloc(1024, 'x');
        let sent = 0;
        const more = (): void => {
          while (sent < size && !res.destroyed) {
            sent += piece.length;
            if (!res.write(piece)) {
              res.once('drain', more);
              return;
            }
          }
          if (!res.destroyed) res.end();
        };
        more();
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/x`;
    });
    afterAll(() => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }));

    it('returns a body up to the limit', async () => {
      const response = await sendUpstream(request(`${url}?size=8192`));
      expect((await response.readAll(8192)).length).toBe(8192);
    });

    it.each(['chunked', 'declared'])('rejects a %s body past the limit with 502 upstream_response_too_large and hangs up', async (mode) => {
      const response = await sendUpstream(request(`${url}?size=${10 * 1024 * 1024}&${mode}`));
      await expect(response.readAll(64 * 1024)).rejects.toMatchObject({ status: 502, code: 'upstream_response_too_large' });
      await bodyClosed;
    });
  });
});
