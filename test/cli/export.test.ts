import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fakeServer, runInProcess, type FakeServer } from './cli-harness';

const HEADER = 'requestId,time,teamId,costUsd';
/** Three pages; the second holds a quoted field with a line break, which is one record, not two. */
const PAGES: Readonly<Record<string, { rows: string[]; next?: string }>> = {
  first: { rows: ['r1,2026-12-02T10:00:00Z,t1,0.1', 'r2,2026-12-02T09:00:00Z,t1,0.2'], next: 'c2' },
  c2: { rows: ['r3,2026-12-02T08:00:00Z,"team, with\nbreak",0.3', 'r4,2026-12-02T07:00:00Z,t2,0.4'], next: 'c3' },
  c3: { rows: ['r5,2026-12-01T07:00:00Z,t2,0.5'] },
};

let dir: string;
let server: FakeServer;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'gatellm-export-'));
});
afterEach(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

function csvPages(): Promise<FakeServer> {
  return fakeServer((request) => {
    const cursor = new URL(request.url, 'http://x').searchParams.get('cursor') ?? 'first';
    const page = PAGES[cursor];
    if (page === undefined) return { status: 400, body: { error: { message: 'bad cursor', code: 'invalid_cursor', type: 'invalid_request_error' } } };
    const headers: Record<string, string> = page.next === undefined ? {} : { 'x-next-cursor': page.next };
    return { headers, body: `${HEADER}\r\n${page.rows.map((row) => `${row}\r\n`).join('')}` };
  });
}

const env = (url: string): Record<string, string> => ({ GATELLM_URL: url, GATELLM_ADMIN_TOKEN: 'tok' });

describe('usage export', () => {
  it('follows x-next-cursor through every page into one CSV with one header, and sums up on stderr', async () => {
    server = await csvPages();
    const run = await runInProcess(['usage', 'export', '--out', 'usage.csv', '--team', 'platform', '--from', '2026-12-01'], { env: env(server.url), cwd: dir });
    expect(run.code).toBe(0);
    const text = await readFile(path.join(dir, 'usage.csv'), 'utf8');
    expect(text).toBe(`${HEADER}\r\n${[...PAGES.first!.rows, ...PAGES.c2!.rows, ...PAGES.c3!.rows].map((row) => `${row}\r\n`).join('')}`);
    expect(run.stderr).toMatch(/^Exported 5 records in 3 pages to .*usage\.csv \(\d+\.\d s, [\d,]+\/s\)\.\n$/);
    expect(run.stdout).toBe('');
    const queries = server.requests.map((request) => new URL(request.url, 'http://x').searchParams);
    expect(queries.map((query) => query.get('cursor'))).toEqual([null, 'c2', 'c3']);
    expect(queries.every((query) => query.get('format') === 'csv' && query.get('team') === 'platform' && query.get('from') === '2026-12-01')).toBe(true);
    expect(server.requests[0]!.headers.authorization).toBe('Bearer tok');
  });

  it('shows a progress line with records so far and a rate on a terminal', async () => {
    server = await csvPages();
    const run = await runInProcess(['usage', 'export', '--out', 'usage.csv'], { env: env(server.url), cwd: dir, tty: true });
    expect(run.code).toBe(0);
    const progress = [...run.stderr.matchAll(/exporting: (\d+) records \([\d,]+\/s\)/g)].map((match) => Number(match[1]));
    expect(progress).toEqual([2, 4, 5]);
    expect(run.stderr).toContain('Exported 5 records in 3 pages');
  });

  it('pages a gateway that answers JSON with nextCursor, writing CSV itself', async () => {
    server = await fakeServer((request) => {
      const cursor = new URL(request.url, 'http://x').searchParams.get('cursor');
      return cursor === null
        ? { body: { object: 'list', data: [{ requestId: 'a', costUsd: 1 }], nextCursor: 'n1' } }
        : { body: { object: 'list', data: [{ requestId: 'b', costUsd: 2 }] } };
    });
    const run = await runInProcess(['usage', 'export', '--out', 'j.csv'], { env: env(server.url), cwd: dir });
    expect(run.code).toBe(0);
    expect(await readFile(path.join(dir, 'j.csv'), 'utf8')).toBe('requestId,costUsd\r\na,1\r\nb,2\r\n');
  });

  it('leaves no file behind when a page fails, and exits 1 with the API message and code', async () => {
    server = await fakeServer((request) => new URL(request.url, 'http://x').searchParams.has('cursor')
      ? { status: 503, body: { error: { message: 'store unavailable', code: 'store_unavailable', type: 'api_error' } } }
      : { headers: { 'x-next-cursor': 'c2' }, body: `${HEADER}\r\nr1,t,t1,0.1\r\n` });
    const run = await runInProcess(['usage', 'export', '--out', 'usage.csv'], { env: env(server.url), cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('error: store unavailable (store_unavailable, HTTP 503)');
    expect(await readdir(dir)).toEqual([]);
  });
});
