// The door of the OPC UA layer: connections with deadlines and evidence, and readers of what a server says.
export { getEndpoints, trySession, chooseSecurity, defaultIdentity, describeIdentity, openReadSession, policyName, OpcUaSession, SessionRefusedError, CURRENT_SECURE_POLICIES } from './connection.js';
export type { EndpointSummary, OpcUaCallOptions, SecuritySetting, SessionAttempt, UserIdentity } from './connection.js';
export { readServerIdentity, readDeviceSet, readNamespaceArray, textOf, DI_NAMESPACE_URI, DI_DEVICE_TYPE_ID } from './address-space.js';
export type { DeviceReading, DeviceSetReading, PropertyReading, ServerIdentityReading } from './address-space.js';
export { certificateFacts, type CertificateFacts } from './certificate.js';
export { makeSelfSignedCertificate, HARNESS_APPLICATION_URI } from './pki.js';
export { opcuaPreflight, opcuaAccessPreflight } from './preflight.js';
export { OpcUaUnreachableError, OpcUaTimeoutError, describeOpcUaError } from './errors.js';
export type { ValueSummary, ReferenceSummary } from './summary.js';
