export * from './outcome.js';
export * from './requirement.js';
export * from './profile.js';
export * from './target.js';
export * from './check-result.js';
export * from './report.js';
export type * from './reference-device.js';
export * from './errors.js';
export * from './validate.js';
