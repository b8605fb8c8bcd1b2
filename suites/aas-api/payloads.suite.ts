/**
 * Payloads valid per Part 1: every shell, submodel and submodel element a server answers deserializes with the
 * metamodel's JSON mapping and keeps its constraints (aas-core's verification). A 3.1 server's additions are set
 * aside first, since the only TypeScript SDK is for metamodel 3.0 (harness/protocols/aas/metamodel.ts).
 */
import { check } from '../../harness/engine/check.js';
import type { CheckContext } from '../../harness/engine/check-context.js';
import { verifyAssetAdministrationShell, verifySubmodel, verifySubmodelElement, type AasResponse } from '../../harness/protocols/aas/index.js';
import { idPath, isObject, jsonOf, notJson, seen, type AasApi } from './lib/http.js';
import { walk } from './lib/paging.js';
import { collectionOf, shorten, withHeld } from './lib/resources.js';
import { sample } from './lib/sample.js';
import type { Service } from './lib/service.js';

/** Every problem of every object, capped: a server with ten thousand broken shells needs ten lines, not all. */
class Findings {
  readonly lines: string[] = [];
  #more = 0;
  add(where: string, problems: readonly string[]): void {
    if (problems.length === 0) return;
    if (this.lines.length >= 10) this.#more++;
    else this.lines.push(`${where}: ${problems.slice(0, 3).join('; ')}${problems.length > 3 ? ` (and ${problems.length - 3} more)` : ''}`);
  }
  get all(): string[] {
    return this.#more ? [...this.lines, `and ${this.#more} more object(s) with problems`] : this.lines;
  }
}

/** Reads a list whole and hands every item to `judge`; a list that cannot be read is a finding too. */
/** The body judged, or - when it is not JSON at all - why not: no Part 1 finding about a value that never came. */
function bodyOf(answer: AasResponse, judge: (body: unknown) => readonly string[]): readonly string[] {
  const reason = notJson(answer);
  return reason ? [reason] : judge(jsonOf(answer));
}

async function judgeList(ctx: CheckContext, api: AasApi, service: Service, findings: Findings, judge: (item: unknown, where: string) => void): Promise<number> {
  const collection = collectionOf(service);
  const w = await walk(api, collection, { limit: ctx.parameter('walkPageLimit'), maxPages: ctx.parameter('maxPages') });
  if (w.broken) findings.add(collection.label, [w.broken]);
  let count = 0;
  for (const page of w.pages) {
    for (const item of page.items) {
      judge(item, `${collection.label} page ${page.number}, ${collection.noun} ${JSON.stringify(shorten(collection.keyOf(item) ?? '?'))}`);
      count++;
    }
  }
  return count;
}

check(
  {
    id: 'aas.payloads.shells',
    title: 'Every AssetAdministrationShell answered is valid per Part 1',
    requirements: ['AAS-P1-001'],
  },
  async (ctx) => {
    await withHeld(ctx, ['AAS-P1-001'], async (api, service) => {
      const findings = new Findings();
      const options = { apiVersion: service.version };
      await judgeList(ctx, api, service, findings, (item, where) => findings.add(where, verifyAssetAdministrationShell(item, options)));
      for (const shell of sample().shells) {
        const path = idPath('/shells', shell.id);
        const answer = await api.get(path);
        // whether it is found by its identifier is the identifier checks' business; what is answered must be valid
        if (answer.status === 200) findings.add(`GET ${path.slice(0, 100)}`, bodyOf(answer, (body) => verifyAssetAdministrationShell(body, options)));
      }
      ctx.verify('AAS-P1-001', findings.all);
    });
  },
);

check(
  {
    id: 'aas.payloads.submodels',
    title: 'Every Submodel and SubmodelElement answered is valid per Part 1',
    requirements: ['AAS-P1-002'],
  },
  async (ctx) => {
    await withHeld(ctx, ['AAS-P1-002'], async (api, service) => {
      const findings = new Findings();
      const options = { apiVersion: service.version };
      const s = sample();
      // a submodel repository lists submodels; an AAS repository reaches them through each shell's superpath
      if (service.kind === 'submodel-repository') await judgeList(ctx, api, service, findings, (item, where) => findings.add(where, verifySubmodel(item, options)));
      const paths =
        service.kind === 'submodel-repository'
          ? s.submodels.map((m) => idPath('/submodels', m.id))
          : s.shells.flatMap((shell) => shell.submodelIds.map((sm) => `${idPath('/shells', shell.id)}/${idPath('submodels', sm)}`));
      for (const path of paths) {
        const answer = await api.get(path);
        if (answer.status === 200) findings.add(`GET ${path.slice(0, 100)}`, bodyOf(answer, (body) => verifySubmodel(body, options)));
      }
      const richBase = service.kind === 'submodel-repository' ? idPath('/submodels', s.rich.submodelId) : `${idPath('/shells', s.rich.shellId)}/${idPath('submodels', s.rich.submodelId)}`;
      const elements = await api.get(`${richBase}/submodel-elements`, { query: { limit: ctx.parameter('walkPageLimit') } });
      const page = jsonOf(elements);
      const items = isObject(page) && Array.isArray(page['result']) ? page['result'] : undefined;
      if (elements.status !== 200 || !items) findings.add(`GET ${richBase.slice(0, 100)}/submodel-elements`, [`answered ${seen(elements)}; expected a PagedResult of elements`]);
      else items.forEach((element, i) => findings.add(`GET ${richBase.slice(0, 60)}…/submodel-elements, element ${i}`, verifySubmodelElement(element, options)));
      ctx.verify('AAS-P1-002', findings.all);
    });
  },
);
