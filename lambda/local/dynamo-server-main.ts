/**
 * The embedded store's own process (`dist/local/dynamo-server.mjs`), forked by the local server.
 * On AWS, DynamoDB is a separate service; locally the DynamoDB-compatible server runs in a separate
 * process too, so its work (validation, LevelDB) never blocks the gateway's event loop and each
 * side's CPU can be measured on its own. It exits when its parent goes away.
 */
import { startEmbeddedDynamo, type EmbeddedDynamo } from './embedded-dynamo';

export interface DynamoServerReady {
  /** The store's Unix socket path. */
  readonly endpoint: string;
}

async function main(): Promise<void> {
  // LevelDB creates its files with the default mode: make everything this process writes owner-only.
  process.umask(0o077);
  const dataDir = process.env.GATELLM_DYNAMO_DIR;
  if (dataDir === undefined || process.send === undefined) throw new Error('dynamo-server must be forked with GATELLM_DYNAMO_DIR set.');
  // Filled in once started; a stop requested before then just exits.
  const running: { dynamo?: EmbeddedDynamo } = {};
  const stop = (): void => {
    void (running.dynamo?.close() ?? Promise.resolve()).finally(() => process.exit(0));
  };
  // The IPC channel closes when the parent exits, even when it crashes: never outlive it. Listen
  // before the (slow) start so a parent that dies meanwhile is noticed too.
  process.on('disconnect', stop);
  process.on('SIGTERM', stop);
  process.on('SIGINT', () => undefined); // Ctrl-C reaches the whole group; the parent decides when to stop.
  const dynamo = await startEmbeddedDynamo({ dataDir });
  running.dynamo = dynamo;
  if (!process.connected) {
    stop();
    return;
  }
  const ready: DynamoServerReady = { endpoint: dynamo.endpoint };
  process.send(ready);
}

main().catch((error: unknown) => {
  process.stderr.write(`gatellm store: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
