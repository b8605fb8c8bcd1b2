/** Reading descriptors (AAS registries): all of a registry's, and the submodel descriptors a shell descriptor embeds. */
import type { CheckContext } from '../../../harness/engine/check-context.js';
import { isObject, type AasApi } from './http.js';
import { walk } from './paging.js';
import { collectionOf } from './resources.js';
import type { Service } from './service.js';

export interface ReadDescriptors {
  /** each with where it was read, for messages */
  readonly descriptors: readonly { readonly where: string; readonly descriptor: unknown }[];
  readonly broken?: string;
}

/** The registry's whole list, page by page. */
export async function readDescriptors(ctx: CheckContext, api: AasApi, service: Service): Promise<ReadDescriptors> {
  const collection = collectionOf(service);
  const w = await walk(api, collection, { limit: ctx.parameter('walkPageLimit'), maxPages: ctx.parameter('maxPages') });
  const descriptors = w.pages.flatMap((page) => page.items.map((descriptor, i) => ({ where: `${collection.label} page ${page.number} item ${i}`, descriptor })));
  return { descriptors, ...(w.broken !== undefined && { broken: w.broken }) };
}

/** The submodel descriptors embedded in a shell descriptor. */
export function embeddedSubmodelDescriptors(shellDescriptor: unknown): unknown[] {
  return isObject(shellDescriptor) && Array.isArray(shellDescriptor['submodelDescriptors']) ? shellDescriptor['submodelDescriptors'] : [];
}

export function endpointsOf(descriptor: unknown): unknown[] {
  return isObject(descriptor) && Array.isArray(descriptor['endpoints']) ? descriptor['endpoints'] : [];
}

export function idOf(descriptor: unknown): string {
  return isObject(descriptor) && typeof descriptor['id'] === 'string' ? descriptor['id'] : '(no id)';
}
