export { loadTargetFile } from './target-file.js';
export { interpolateEnv } from './interpolate.js';
export { startEmbeddedBroker, type EmbeddedBroker } from './embedded-broker.js';
export { startEmbeddedTarget, findDevice, checkFaults, EMBEDDED_PREFIX, type EmbeddedTarget, type DeviceRegistry } from './embedded.js';
