/**
 * The floor a Node gateway is measured against: read the JSON body, forward it to the upstream over a
 * keep-alive node:http agent, parse the JSON answer and send it back. No authentication, no metering,
 * no error handling. Started by bench/run.ts as `node minimal-proxy-server.mjs <upstream base URL> <port>`;
 * tells its parent it listens through IPC.
 */
import http from 'node:http';

const [upstreamBase, port] = process.argv.slice(2);
const target = new URL(`${upstreamBase}/chat/completions`);
const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });

function readAll(stream, done) {
  const chunks = [];
  stream.on('data', (chunk) => chunks.push(chunk));
  stream.on('end', () => done(Buffer.concat(chunks)));
}

const server = http.createServer((request, response) => {
  readAll(request, (raw) => {
    const body = JSON.parse(raw.toString('utf8'));
    body.model = 'fake-model';
    const payload = JSON.stringify(body);
    const outgoing = http.request(target, {
      method: 'POST', agent,
      headers: { 'content-type': 'application/json', authorization: request.headers.authorization ?? '', 'content-length': Buffer.byteLength(payload) },
    }, (answer) => {
      readAll(answer, (answerRaw) => {
        const text = JSON.stringify(JSON.parse(answerRaw.toString('utf8')));
        response.writeHead(answer.statusCode ?? 502, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
        response.end(text);
      });
    });
    outgoing.end(payload);
  });
});
server.listen(Number(port), '127.0.0.1', () => process.send?.('listening'));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
