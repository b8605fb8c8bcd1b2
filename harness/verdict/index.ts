export { decideRequirements, type RequirementInputs } from './requirements.js';
export { decideVerdict, countOutcomes } from './verdict.js';
