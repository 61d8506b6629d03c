import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync } from 'node:fs';
import http from 'node:http';
import { createServer, type Server } from 'node:net';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { killAll, listeningUrl, spawnGateway, stopGateway } from './gateway-process';

/**
 * Only the gateway may reach its store (issue 5, item 2): no TCP port but the gateway's own, a Unix
 * socket inside a 0700 data directory whose files are 0600, and a failed start that leaves nothing behind.
 */
let dir: string;
const onLinux = existsSync('/proc/net/tcp');

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'gatellm-store-security-'));
});
afterAll(() => {
  killAll();
  rmSync(dir, { recursive: true, force: true });
});

/** The pid and every descendant of it, from /proc. */
function processTree(root: number): number[] {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parents.set(Number(entry), ppid);
    } catch {
      // the process exited meanwhile
    }
  }
  const tree = [root];
  for (let grew = true; grew;) {
    grew = false;
    for (const [pid, ppid] of parents) {
      if (tree.includes(ppid) && !tree.includes(pid)) {
        tree.push(pid);
        grew = true;
      }
    }
  }
  return tree;
}

/** Ports on which these processes accept TCP connections (IPv4 and IPv6). */
function listeningTcpPorts(pids: readonly number[]): number[] {
  const inodes = new Set<string>();
  for (const pid of pids) {
    for (const fd of readdirSync(`/proc/${pid}/fd`)) {
      const target = (() => {
        try {
          return readlinkSync(`/proc/${pid}/fd/${fd}`);
        } catch {
          return '';
        }
      })();
      const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
      if (inode !== undefined) inodes.add(inode);
    }
  }
  const ports: number[] = [];
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    if (!existsSync(table)) continue;
    for (const line of readFileSync(table, 'utf8').trim().split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      const [local = '', state, inode = ''] = [fields[1], fields[3], fields[9]];
      if (state === '0A' && inodes.has(inode)) ports.push(Number.parseInt(local.split(':')[1] ?? '', 16));
    }
  }
  return ports;
}

/** Every regular file under a directory, recursively. */
function filesUnder(root: string): string[] {
  return readdirSync(root, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name));
}

/** A browser-style request to the store's socket: what a CORS preflight would get if it could connect. */
async function preflight(socketPath: string): Promise<http.IncomingMessage> {
  const request = http.request({ socketPath, method: 'OPTIONS', path: '/', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
  request.end();
  const [response] = await once(request, 'response') as [http.IncomingMessage];
  response.resume();
  return response;
}

describe('the embedded store of the local server', () => {
  it('is reachable only through a Unix socket in a 0700 data directory whose files are 0600, with no TCP port of its own', async () => {
    const dataDir = path.join(dir, 'private');
    mkdirSync(dataDir, { mode: 0o755 }); // an existing, too open directory is tightened
    const gateway = spawnGateway({ GATELLM_PORT: '0', GATELLM_DATA_DIR: dataDir });
    const url = await listeningUrl(gateway);
    const socketPath = path.join(dataDir, 'dynamodb', 'store.sock');
    // An admin call waits for the store to be open (and its database files written).
    const token = readFileSync(path.join(dataDir, 'admin-token'), 'utf8').trim();
    expect((await fetch(`${url}/admin/v1/teams`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);

    expect(statSync(socketPath).isSocket()).toBe(true);
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    expect(statSync(path.join(dataDir, 'dynamodb')).mode & 0o777).toBe(0o700);
    const files = filesUnder(dataDir);
    expect(files).toEqual(expect.arrayContaining([path.join(dataDir, 'admin-token'), path.join(dataDir, 'gatellm.lock')]));
    for (const file of files) expect({ file, mode: (statSync(file).mode & 0o777).toString(8) }).toEqual({ file, mode: '600' });

    const pids = processTree(gateway.child.pid ?? 0);
    expect(pids.length).toBeGreaterThanOrEqual(2); // the gateway and its store process
    if (onLinux) expect(listeningTcpPorts(pids)).toEqual([Number(new URL(url).port)]);

    const answer = await preflight(socketPath);
    expect(answer.statusCode).toBe(403);
    expect(answer.headers['access-control-allow-origin']).toBeUndefined();

    expect(await stopGateway(gateway)).toBe(0);
    expect(existsSync(socketPath)).toBe(false);
  }, 30_000);
});

describe('a start that fails', () => {
  let blocker: Server;
  let blockedPort: number;
  beforeAll(async () => {
    blocker = createServer();
    blocker.listen(0, '127.0.0.1');
    await once(blocker, 'listening');
    const address = blocker.address();
    blockedPort = typeof address === 'object' && address !== null ? address.port : 0;
  });
  afterAll(() => {
    blocker.close();
  });

  it('on a port in use says what to do, claims nothing, and leaves no admin token behind', async () => {
    const dataDir = path.join(dir, 'port-in-use');
    const gateway = spawnGateway({ GATELLM_PORT: String(blockedPort), GATELLM_DATA_DIR: dataDir });
    expect(await gateway.exited).toBe(1);
    expect(gateway.stdout()).not.toContain('listening');
    expect(gateway.stderr()).toContain(`port ${blockedPort}`);
    expect(gateway.stderr()).toContain('GATELLM_PORT');
    expect(gateway.stderr()).not.toContain('EADDRINUSE');
    expect(existsSync(path.join(dataDir, 'admin-token'))).toBe(false);
    expect(existsSync(path.join(dataDir, 'gatellm.lock'))).toBe(false);
  }, 30_000);

  it('on a data directory another gateway uses names that gateway, before claiming to listen', async () => {
    const dataDir = path.join(dir, 'shared');
    const first = spawnGateway({ GATELLM_PORT: '0', GATELLM_DATA_DIR: dataDir });
    await listeningUrl(first);
    const second = spawnGateway({ GATELLM_PORT: '0', GATELLM_DATA_DIR: dataDir });
    expect(await second.exited).toBe(1);
    expect(second.stdout()).not.toContain('listening');
    expect(second.stderr()).toContain(`in use by process ${first.child.pid ?? 'unknown'}`);
    expect(second.stderr()).toContain('GATELLM_DATA_DIR');
    expect(await stopGateway(first)).toBe(0);
  }, 30_000);
});
