import path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflows } from '../../src/worker/worker';
import { processModules } from '../../src/processes/registry';
import { locateTemporalCli } from '../../src/infra/temporal-cli';
import { locateTestServer } from '../../tools/setup/temporal-test-server';
import type { WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { testLog } from './logger';
import { SEARCH_ATTRIBUTE_KEYS } from '../../src/domain/search-attributes';

const toolsDir = path.resolve(__dirname, '..', '..', '.tools');

/**
 * A real Temporal dev server (the CLI's `server start-dev`), in memory, on a free port; with `searchAttributes`,
 * Anxin's search attributes registered as `npm start`'s dev server has them (src/domain/search-attributes.ts).
 */
export async function startDevServer(opts: { searchAttributes?: boolean } = {}): Promise<TestWorkflowEnvironment> {
  const cli = await locateTemporalCli({ toolsDir, envPath: process.env.TEMPORAL_CLI_PATH });
  return TestWorkflowEnvironment.createLocal({
    server: {
      executable: cli ? { type: 'existing-path', path: cli.path } : { type: 'cached-download', downloadDir: toolsDir },
      ip: '127.0.0.1',
      ...(opts.searchAttributes ? { searchAttributes: SEARCH_ATTRIBUTE_KEYS } : {}),
    },
  });
}

/** Temporal's time-skipping test server: timers of days fire in milliseconds once the workflow waits. */
export async function startTimeSkippingServer(): Promise<TestWorkflowEnvironment> {
  const server = await locateTestServer({ toolsDir, envPath: process.env.TEMPORAL_TEST_SERVER_PATH });
  return TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: server ? { type: 'existing-path', path: server.path } : { type: 'cached-download', downloadDir: toolsDir } },
  });
}

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;
/** The workflow bundle, built once per test file and shared by its workers. */
export function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  bundle ??= bundleWorkflows(testLog, processWorkflowModules());
  return bundle;
}

/** The registry's process workflow modules (the worker bundles them with the core workflows). */
export function processWorkflowModules(modules = processModules): string[] {
  return modules.map((m) => m.definition.workflowModule);
}

/** Every export of the worker's workflow bundle entry: the core workflows and each registered process's module. */
export function bundledWorkflowExports(modules = processModules): Record<string, unknown> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the same modules the bundle requires
  return Object.assign({}, require('../../workflows'), ...processWorkflowModules(modules).map((m) => require(m)));
}
