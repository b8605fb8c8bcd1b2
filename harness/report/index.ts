export { writeReportJson, validateReport } from './json.js';
export { writeJunit } from './junit.js';
export { writeManifest, MANIFEST } from './manifest.js';
export { renderSummary, type ConsoleStyle } from './console.js';
