export { loadTargetFile, shownPath } from './target-file.js';
export { interpolateEnv } from './interpolate.js';
export { startEmbeddedBroker, type EmbeddedBroker, type EmbeddedBrokerOptions } from './embedded-broker.js';
export {
  startEmbeddedTarget,
  findDevice,
  checkFaults,
  EMBEDDED_PREFIX,
  EMBEDDED_USERNAME,
  EMBEDDED_PASSWORD_PATTERN,
  SECURITY_GROUP,
  type EmbeddedTarget,
  type EmbeddedTargetOptions,
  type EmbeddedPki,
  type DeviceRegistry,
} from './embedded.js';
