export { createRedactor, redactUrl, REDACTED, type Redactor } from './redact.js';
export { sha256Hex } from './hash.js';
export { MqttLog, DEFAULT_MQTT_LOG_LIMITS, type MqttRecord, type MqttLogLimits, type Direction } from './mqtt-log.js';
export { OpcUaLog, DEFAULT_OPCUA_LOG_LIMITS, type OpcUaRecord, type OpcUaLogLimits } from './opcua-log.js';
export { HarRecorder, HAR_REDACTED, DEFAULT_HAR_LIMITS, type HarEntry, type HarExchange, type HarLimits } from './har-log.js';
