import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseCommandArguments, parseDuration, parseTags, splitCommandWords, UsageError } from '../../lambda/cli/args';
import { runInProcess } from './cli-harness';

describe('command words', () => {
  it('finds the command around global options, skipping their values', () => {
    expect(splitCommandWords(['--url', 'http://x', 'keys', '--json', 'list'], 2).words).toEqual(['keys', 'list']);
    expect(splitCommandWords(['--data-dir=/d', 'usage', '--team', 'a'], 2).words).toEqual(['usage', 'a']);
  });

  it('parses repeated and typed options strictly', () => {
    const parsed = parseCommandArguments(['--tag', 'a=1', '--tag', 'b=2', 'x'], { tag: { type: 'string', multiple: true } });
    expect(parsed.values.tag).toEqual(['a=1', 'b=2']);
    expect(parsed.positionals).toEqual(['x']);
    expect(() => parseCommandArguments(['--nope'], {})).toThrow(UsageError);
  });

  it('reads tags as key=value', () => {
    expect(parseTags(['env=prod', 'note=a=b'])).toEqual({ env: 'prod', note: 'a=b' });
    expect(() => parseTags(['novalue'])).toThrow(/key=value/);
  });
});

describe('durations', () => {
  it.each([['3600', 3600], ['45s', 45], ['30m', 1800], ['1h', 3600], ['1h30m', 5400], ['2d', 172_800]])('%s is %d seconds', (text, seconds) => {
    expect(parseDuration(text)).toBe(seconds);
  });

  it.each(['', 'soon', '1x', '1h junk', '-5'])('refuses %j', (text) => {
    expect(() => parseDuration(text)).toThrow(UsageError);
  });
});

describe('usage errors exit 2 before any request', () => {
  const env = { GATELLM_URL: 'http://127.0.0.1:9', GATELLM_ADMIN_TOKEN: 't' };

  it.each([
    [['nonsense'], /Unknown command 'nonsense'/],
    [['keys'], /'keys' needs one of: list, create/],
    [['keys', 'explode'], /Unknown command 'keys explode'/],
    [['keys', 'create', '--team', 'a', '--user', 'b'], /exactly one of --team and --user/],
    [['keys', 'rotate', 'k1', '--grace', 'later'], /not a duration/],
    [['keys', 'show'], /Missing argument/],
    [['teams', 'show', 'a', 'b'], /Unexpected argument 'b'/],
    [['keys', 'revoke', 'k1', '--csv'], /--csv is for listings/],
    [['budgets', 'create', '--scope', 'org', '--id', 'x', '--limit-usd', '5', '--period', 'monthly'], /scope must be one of/],
    [['budgets', 'create', '--scope', 'team', '--id', 'x', '--limit-usd', 'five', '--period', 'monthly'], /--limit-usd must be a number/],
    [['limits', 'set', 'team', 'x'], /at least one of --rpm/],
    [['usage', '--from', 'yesterday'], /ISO-8601/],
    [['teams', 'list', '--bogus'], /Unknown option '--bogus'/],
  ])('%j', async (argv, message) => {
    const run = await runInProcess(argv, { env });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stdout).toBe('');
  });

  it('prints help for a command and for everything, exit 0', async () => {
    const command = await runInProcess(['keys', 'rotate', '--help']);
    expect(command.code).toBe(0);
    expect(command.stdout).toContain('usage: gatellm keys rotate <id> [--grace 1h|30m|3600]');
    const all = await runInProcess(['--help']);
    expect(all.stdout).toContain('usage export --out file.csv');
    const group = await runInProcess(['budgets', '--help']);
    expect(group.stdout).toContain('gatellm budgets create');
  });

  it('says where it looked when no gateway can be found', async () => {
    const run = await runInProcess(['teams', 'list', '--data-dir', '/nonexistent-gatellm']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('/nonexistent-gatellm/server.json');
  });

  it('says so when the recorded local gateway no longer runs', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'gatellm-stale-'));
    // A pid above Linux's pid_max, so certainly not running.
    await writeFile(path.join(dir, 'server.json'), JSON.stringify({ url: 'http://127.0.0.1:8787', pid: 2 ** 22 + 1 }));
    const run = await runInProcess(['teams', 'list', '--data-dir', dir]);
    await rm(dir, { recursive: true, force: true });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`(process ${2 ** 22 + 1}) is not running`);
  });
});
