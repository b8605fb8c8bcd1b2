/**
 * Part 5 and OPC: the AASX file is a sound ZIP archive whose items are valid part names, each with a content
 * type. A plain JSON or XML file is not a package: NA.
 */
import { check } from '../../harness/engine/check.js';
import type { CheckContext } from '../../harness/engine/check-context.js';
import { capped, inspectionOf, packageOf } from './lib/decide.js';

check(
  {
    id: 'aasx.zip',
    title: 'The AASX file is a readable ZIP archive: headers agree, entries stored or deflated, sizes and CRC-32 right',
    requirements: ['AASX-PKG-001'],
  },
  async (ctx: CheckContext) => {
    const inspection = inspectionOf(ctx);
    if (inspection.format !== 'aasx' || inspection.package === undefined) ctx.notApplicable(`a ${inspection.format.toUpperCase()} environment file is not a package`);
    ctx.verify('AASX-PKG-001', capped(inspection.package.problems.zip));
  },
);

check(
  {
    id: 'aasx.part-names',
    title: 'Every ZIP item name is a valid OPC part name, and no two name the same part',
    requirements: ['AASX-PKG-002'],
  },
  async (ctx: CheckContext) => {
    const pkg = packageOf(ctx, inspectionOf(ctx), ['AASX-PKG-002']);
    ctx.verify('AASX-PKG-002', capped(pkg.problems.partNames));
  },
);

check(
  {
    id: 'aasx.content-types',
    title: '[Content_Types].xml is present and gives every part a content type',
    requirements: ['AASX-PKG-003'],
  },
  async (ctx: CheckContext) => {
    const pkg = packageOf(ctx, inspectionOf(ctx), ['AASX-PKG-003']);
    ctx.verify('AASX-PKG-003', capped(pkg.problems.contentTypes));
  },
);
