// The door for the CLI (main process): running checks and collecting outcomes.
export { runChecks, type CheckRun } from './run-checks.js';
export { runProfile, type RunProfileOptions, type RunProfileResult, type Preflight } from './run-profile.js';
export { checkClaims, planRun, resolveParameters, selectRequirements, hashSuites, type RunPlan } from './plan.js';
export { type ProgressListener } from './reporter.js';
export { RUN_CONTEXT_KEY, type RunContext } from './run-context.js';
