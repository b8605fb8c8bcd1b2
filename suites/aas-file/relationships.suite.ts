/**
 * Part 5 relationships: from the package root to exactly one aasx-origin part, from there to the aas-spec
 * parts, every relationship pointing into the package, and the files the environments name are there.
 */
import { check } from '../../harness/engine/check.js';
import type { CheckContext } from '../../harness/engine/check-context.js';
import { capped, inspectionOf, packageOf } from './lib/decide.js';

check(
  {
    id: 'aasx.origin',
    title: 'The package relationships hold exactly one aasx-origin relationship to a part that exists',
    requirements: ['AASX-PKG-004'],
  },
  async (ctx: CheckContext) => {
    const pkg = packageOf(ctx, inspectionOf(ctx), ['AASX-PKG-004']);
    ctx.verify('AASX-PKG-004', capped(pkg.problems.origin));
  },
);

check(
  {
    id: 'aasx.relationship-types',
    title: 'Relationship types use the current admin-shell.io IRIs, not the deprecated www.admin-shell.io ones',
    requirements: ['AASX-PKG-005'],
  },
  async (ctx: CheckContext) => {
    const pkg = packageOf(ctx, inspectionOf(ctx), ['AASX-PKG-005']);
    ctx.verify(
      'AASX-PKG-005',
      capped(pkg.relationships.filter((r) => r.deprecatedType).map((r) => `${r.relsPart}: relationship ${r.id} has the deprecated type ${r.type}; expected ${r.normalizedType}`)),
    );
  },
);

check(
  {
    id: 'aasx.spec-parts',
    title: 'The origin leads to at least one aas-spec part, JSON or XML, that is in the package',
    requirements: ['AASX-PKG-006'],
  },
  async (ctx: CheckContext) => {
    const pkg = packageOf(ctx, inspectionOf(ctx), ['AASX-PKG-006']);
    if (pkg.origin === undefined) ctx.notExecuted('there is no aasx-origin part to start from (AASX-PKG-004)');
    ctx.verify('AASX-PKG-006', capped(pkg.problems.spec));
  },
);

check(
  {
    id: 'aasx.relationship-targets',
    title: 'Every relationships part is well-formed and every internal target is a part of the package',
    requirements: ['AASX-PKG-007'],
  },
  async (ctx: CheckContext) => {
    const pkg = packageOf(ctx, inspectionOf(ctx), ['AASX-PKG-007']);
    ctx.verify('AASX-PKG-007', capped(pkg.problems.relationships));
  },
);

// a value with a URI scheme (https:, file:, urn:) points outside the package
const HAS_SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:/;

check(
  {
    id: 'aasx.supplementary-files',
    title: 'Every File element and thumbnail that names a path in the package names a part that is there',
    requirements: ['AASX-PKG-008'],
  },
  async (ctx: CheckContext) => {
    const inspection = inspectionOf(ctx);
    const pkg = packageOf(ctx, inspection, ['AASX-PKG-008']);
    if (inspection.environments.length === 0) ctx.notExecuted('the package has no aas-spec part that could be read (see AASX-PKG-004 and -006)');
    const parts = new Set([...pkg.parts.keys()].map((name) => name.toLowerCase()));
    const problems: string[] = [];
    for (const env of inspection.environments) {
      for (const file of env.fileValues) {
        if (HAS_SCHEME.test(file.id)) continue;
        const part = (file.id.startsWith('/') ? file.id : `/${file.id}`).split(/[?#]/)[0]!;
        let decoded = part;
        try {
          decoded = decodeURIComponent(part);
        } catch {
          // an undecodable name stays as written
        }
        if (!parts.has(part.toLowerCase()) && !parts.has(decoded.toLowerCase())) problems.push(`${file.where} names "${file.id}", which is not in the package`);
      }
    }
    const unwalked = inspection.environments.filter((env) => !env.walked);
    if (problems.length > 0) ctx.verify('AASX-PKG-008', capped(problems));
    else if (unwalked.length > 0) ctx.notExecuted(unwalked.map((env) => `${env.part}: ${env.undecidedBecause ?? 'not read'}`).join('; '));
    else ctx.pass('AASX-PKG-008');
  },
);
