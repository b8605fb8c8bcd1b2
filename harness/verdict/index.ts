export { decideRequirements, type RequirementInputs } from './requirements.js';
export { decideVerdict, countOutcomes } from './verdict.js';
export { applyWaivers, isoDay, loadWaivers, type LoadedWaivers, type WaiverApplication } from './waivers.js';
