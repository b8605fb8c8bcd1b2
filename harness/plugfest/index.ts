// The door of the plugfest: plan a plugfest file, run it, and the formats it writes.
export { loadPlugfestPlan, runArguments, DEFAULT_CONCURRENCY, DEFAULT_RUN_TIMEOUT_MS, type PlugfestPlan, type PlannedTarget, type PlannedRun, type PlanOptions } from './plan.js';
export { plugfestFileSchema, validatePlugfestFile, type PlugfestFile } from './schema.js';
export { runPlugfest, OBSERVER_EVIDENCE, type PlugfestRunOptions } from './run-plugfest.js';
export { PLUGFEST_REQUIREMENTS, PLUGFEST_MAM, PLUGFEST_APPID, type PlugfestRequirement } from './requirements.js';
export {
  plugfestResultSchema,
  validatePlugfestResult,
  PLUGFEST_JSON,
  CELL_VERDICTS,
  CROSS_OUTCOMES,
  type PlugfestResult,
  type PlugfestTargetResult,
  type PlugfestRunResult,
  type CrossTargetResult,
  type CellVerdict,
  type CrossOutcome,
} from './matrix-json.js';
export { renderPlugfestHtml, PLUGFEST_HTML } from './matrix-html.js';
export { crossTargetChecks, type Participant, type CrossCheckInput } from './cross-checks.js';
export { MamObserver, MAM_FILTER, flattenMam, type MamObservation, type ObservedMam } from './observer.js';
