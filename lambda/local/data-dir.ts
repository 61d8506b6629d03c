import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The data directory holds the admin token, key hashes and usage: only its owner may enter it.
 * Created 0700, and tightened when it already exists (a directory made by an older version, or by
 * hand, may be world-readable).
 */
export async function preparePrivateDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700);
}

const LOCK_FILE = 'gatellm.lock';

/** Thrown when another live process holds the directory; `holder` is its pid. */
class DataDirInUseError extends Error {
  constructor(readonly dataDir: string, readonly holder: number, lockFile: string) {
    super(`The data directory ${dataDir} is in use by process ${holder}. Stop that process, `
      + `or set GATELLM_DATA_DIR to another directory (delete ${lockFile} only if ${holder} is not a gateway).`);
    this.name = 'DataDirInUseError';
  }
}

/**
 * Claims a directory for this process (its pid, written 0600). A second gateway on the same data
 * directory must fail before it claims to listen, naming the process that holds it. A lock left by a
 * crashed process is taken over: its pid no longer runs. Returns the release function.
 */
export async function lockDir(dir: string): Promise<() => Promise<void>> {
  const file = join(dir, LOCK_FILE);
  // Two rounds: the second covers a concurrent starter that removed the same stale lock first.
  for (let round = 0; round < 2; round += 1) {
    try {
      await writeFile(file, String(process.pid), { flag: 'wx', mode: 0o600 });
      return () => rm(file, { force: true });
    } catch (error) {
      if (errorCode(error) !== 'EEXIST') throw error;
    }
    const holder = Number.parseInt(await readFile(file, 'utf8').catch(() => ''), 10);
    if (Number.isInteger(holder) && holder > 0 && isRunning(holder)) throw new DataDirInUseError(dir, holder, file);
    await rm(file, { force: true });
  }
  throw new Error(`Could not lock the data directory ${dir}.`);
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0); // signal 0: an existence check, nothing is sent
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    return errorCode(error) === 'EPERM';
  }
}

/** Not `instanceof Error`: Node's own errors fail that check inside another VM realm (jest). */
export function errorCode(error: unknown): unknown {
  return typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
}

/** Where a running local server tells the `gatellm` CLI its URL; lives only while the server runs. */
export const SERVER_FILE = 'server.json';

export async function writeServerFile(dir: string, url: string): Promise<void> {
  await writeFile(join(dir, SERVER_FILE), `${JSON.stringify({ url, pid: process.pid })}\n`, { mode: 0o600 });
}

export async function removeServerFile(dir: string): Promise<void> {
  await rm(join(dir, SERVER_FILE), { force: true });
}
