import path from 'node:path';
import { locateTemporalCli } from '../../src/infra/temporal-cli';
import { locateTestServer } from './temporal-test-server';
import { ensureChromium } from './chromium';

/**
 * `npm run setup:tools` (run by `npm test`; `npm start` finds the CLI itself): makes sure the Temporal CLI
 * (dev server) and the time-skipping test server are at hand, fetching them into `.tools/` when needed; and
 * Chromium for the browser tests (Debian's package, installed with apt-get when missing).
 */
async function main(): Promise<void> {
  const toolsDir = path.resolve(__dirname, '..', '..', '..', '.tools');
  const say = (m: string) => console.log(`[setup] ${m}`);
  const cli = await locateTemporalCli({ toolsDir, envPath: process.env.TEMPORAL_CLI_PATH || undefined, log: say });
  say(
    cli
      ? `Temporal CLI: ${cli.path} (${cli.version.split('\n')[0]}, from ${cli.source})`
      : 'Temporal CLI: none local; the Temporal SDK will download it (needs internet)',
  );
  const server = await locateTestServer({ toolsDir, envPath: process.env.TEMPORAL_TEST_SERVER_PATH || undefined, log: say });
  say(
    server
      ? `Temporal test server: ${server.path} (${server.version}, from ${server.source})`
      : 'Temporal test server: none local; the Temporal SDK will download it (needs internet)',
  );
  say(`Chromium: ${ensureChromium(say)}`);
}

main().catch((err: unknown) => {
  console.error(`[setup] ${(err as Error).message}`);
  process.exit(1);
});
