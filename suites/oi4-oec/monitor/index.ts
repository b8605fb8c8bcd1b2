/**
 * The OI4 monitor: validates every message seen on a bus against the guideline's topic, envelope,
 * identifier and payload rules, and pairs Gets with their answers. The CLI (harness/cli/monitor.ts) feeds it
 * from an MQTT connection; tests and bench/monitor.mjs feed it directly.
 */
export {
  MonitorPipeline,
  createMonitorPipeline,
  DEFAULT_MONITOR_LIMITS,
  DEFAULT_RESPONSE_TIMEOUT_MS,
  OTHER_APP_IDS,
  SCHEMA_FINDING_PREFIX,
  UNKNOWN_REQUESTER,
  type AppIdSnapshot,
  type AppIdSummary,
  type EvidenceSink,
  type GetPairingStats,
  type MonitorLimits,
  type MonitorOptions,
  type MonitorSnapshot,
  type RuleSnapshot,
  type ViolationSample,
} from './pipeline.js';
export { NO_APP_ID, TopicCache, describeTopic, type TopicInfo } from './topics.js';
