export { endpointSecrets, type AasAuth, type AasEndpoint, type AasTls } from './endpoint.js';
export { joinUrl, parseBaseUrl, encodeQuery, type QueryParams, type QueryValue } from './url.js';
export { encodeIdentifier, encodeIdentifierPadded, decodeIdentifier } from './identifiers.js';
export { AasHttpError, classifyHttpError, describeHttpError, type AasHttpErrorKind, type HttpErrorContext } from './errors.js';
export { HarRecorder, HAR_REDACTED, DEFAULT_HAR_LIMITS, type HarEntry, type HarExchange, type HarLimits } from '../../evidence/index.js';
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
export { aasPreflight, clientFor, type AasPreflightOptions } from './preflight.js';
export { checkMetamodel, relaxFor31, verifyEnvironment, verifyAssetAdministrationShell, verifySubmodel, verifySubmodelElement, verifyConceptDescription, verifyReference, type MetamodelClass, type MetamodelOptions, type MetamodelReport, type MetamodelVersion } from './metamodel.js';
export { validatePart2, PART2_SCHEMA_NAMES, type Part2SchemaName } from './schemas.js';
export { readZip, writeZip, crc32, DEFAULT_ZIP_LIMITS, type ZipArchive, type ZipEntry, type ZipInput, type ZipLimits } from './zip.js';
export { readAasx, relsPartOf, REL_ORIGIN, REL_SPEC, REL_SUPPLEMENTARY, type AasxPackage, type AasxProblems, type AasxRelationship, type AasxSpecPart } from './aasx.js';
export { parseXml, attributeOf, childrenNamed, DEFAULT_XML_LIMITS, type XmlAttribute, type XmlDocument, type XmlElement, type XmlLimits } from './xml.js';
export { aasFilePreflight, aasFileFormatOf, DEFAULT_MAX_FILE_BYTES, type AasFileFormat } from './file-preflight.js';
