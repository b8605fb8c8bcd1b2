// vitest globalSetup: builds the CLI bundle once before any test spawns the CLI, so that the many CLI
// processes of a test run do not each find it stale and build it at the same time.
import { ensureBuilt } from '../../bin/build.mjs';

export default async function buildCli(): Promise<void> {
  await ensureBuilt();
}
