import type { HarRecorder } from '../../evidence/index.js';
import { aasSecrets, type AasTarget, type ResolvedTarget, type TargetIdentity } from '../../model/index.js';
import { AasHttpClient } from './client.js';

export interface AasPreflightOptions {
  readonly target: ResolvedTarget;
  readonly parameters: Readonly<Record<string, number>>;
  readonly har: HarRecorder;
  readonly signal?: AbortSignal;
}

/**
 * Before any check: reach the server and read what it says it implements (`GET /description`), for the
 * report's identity. A server that cannot be reached at all makes the run inconclusive (it throws); one that
 * answers /description badly is still tested - judging that answer is AAS-DESC-001's job, not the preflight's.
 */
export async function aasPreflight(options: AasPreflightOptions): Promise<{ target: ResolvedTarget; identities: readonly TargetIdentity[]; notes: readonly string[] }> {
  const target = options.target;
  if (target.kind !== 'aas') throw new Error(`target ${target.name} is not an AAS server`);
  const client = clientFor(target, options.har, options.parameters);
  try {
    const answer = await client.get('/description', { ...(options.signal && { signal: options.signal }) });
    const source = `AAS GET /description of ${client.baseUrl}`;
    const profiles = answer.json.kind === 'ok' ? profilesOf(answer.json.value) : undefined;
    if (answer.status !== 200 || !profiles) {
      const seen = answer.status !== 200 ? `status ${answer.status}` : answer.json.kind === 'problem' ? answer.json.reason : 'no list of profiles';
      return { target, identities: [], notes: [`the service description could not be read (${seen}); the report names no profiles the server claims`] };
    }
    return { target, identities: [{ source, fields: Object.fromEntries(profiles.map((iri, i) => [`profile ${i + 1}`, iri])) }], notes: [] };
  } finally {
    await client.close();
  }
}

/** The client of one check or of the preflight: the target's endpoint, this HAR, the profile's deadline per request. */
export function clientFor(target: AasTarget, har: HarRecorder, parameters: Readonly<Record<string, number>>): AasHttpClient {
  return new AasHttpClient({ endpoint: target.aas, har, secrets: aasSecrets(target.aas), timeoutMs: parameters['requestTimeoutMs'] ?? 10_000 });
}

function profilesOf(value: unknown): string[] | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const profiles = (value as { profiles?: unknown }).profiles;
  return Array.isArray(profiles) && profiles.every((p) => typeof p === 'string') ? profiles : undefined;
}
