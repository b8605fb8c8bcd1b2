export { endpointSecrets, type AasAuth, type AasEndpoint, type AasTls } from './endpoint.js';
export { joinUrl, parseBaseUrl, encodeQuery, type QueryParams, type QueryValue } from './url.js';
export { encodeIdentifier, encodeIdentifierPadded, decodeIdentifier } from './identifiers.js';
export { AasHttpError, classifyHttpError, describeHttpError, type AasHttpErrorKind, type HttpErrorContext } from './errors.js';
export { HarRecorder, HAR_REDACTED, DEFAULT_HAR_LIMITS, type HarEntry, type HarExchange, type HarLimits } from './har.js';
export {
  AasHttpClient,
  DEFAULT_MAX_BODY_BYTES,
  DEFAULT_TIMEOUT_MS,
  MAX_REDIRECTS,
  type AasBody,
  type AasClientOptions,
  type AasRequestOptions,
  type AasResponse,
  type JsonResult,
} from './client.js';
