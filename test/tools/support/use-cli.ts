import { installCli, type CliSpec, type InstalledCli } from './install-cli';
import { startToolGateway, type ToolGateway } from './tool-gateway';

/**
 * Jest hooks for one suite: the CLI installed (or taken from the cache) and a gateway with fake
 * providers started before all tests, reset before each, closed after. Returns a getter, since both
 * exist only once `beforeAll` has run.
 */
export function useCliAndGateway(pkg: CliSpec): () => { cli: InstalledCli; tools: ToolGateway } {
  let cli: InstalledCli | undefined;
  let tools: ToolGateway | undefined;
  beforeAll(async () => {
    cli = await installCli(pkg);
    console.log(`${cli.packageName}@${cli.version}: ${cli.bin} (${cli.versionOutput})`);
    tools = await startToolGateway();
  }, 20 * 60_000);
  afterAll(async () => {
    await tools?.close();
  });
  beforeEach(async () => {
    await tools?.reset();
  });
  return () => {
    if (cli === undefined || tools === undefined) throw new Error('beforeAll did not finish');
    return { cli, tools };
  };
}
