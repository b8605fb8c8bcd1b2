// The door for suites: what a suite author may use.
export { check } from './check.js';
export type { CheckContext } from './check-context.js';
