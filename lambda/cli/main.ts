/** The `gatellm` command (package.json `bin`, built to dist/cli/gatellm.mjs by scripts/build-cli.mjs). */
import { runCli } from './cli';
import { processIo } from './io';

// `gatellm keys list | head -1` closes the pipe early: that is the reader being done, not a failure.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(0);
});

process.exitCode = await runCli(process.argv.slice(2), processIo());
