import { describe, expect, it } from 'vitest';
import { CheckEnd, createCheckContext, settleDecisions } from '../../../harness/engine/check-context.js';
import type { RunContext } from '../../../harness/engine/run-context.js';
import { createRedactor } from '../../../harness/evidence/index.js';
import { secretsOf, type Decision } from '../../../harness/model/index.js';
import { targetOf } from '../support/library.js';

const SECRET = 'S3cr3t-Passw0rd';

const run: RunContext = {
  runId: 'run-1',
  outDir: '/nowhere',
  mode: 'full',
  profileId: 'test-profile',
  target: targetOf({ broker: { url: 'mqtt://127.0.0.1:1883', clientIdPrefix: 'oi4-conformance', username: 'lab', password: SECRET } }),
  parameters: { responseTimeoutMs: 2000 },
  levels: { 'M-001': 'MUST', 'M-002': 'MUST', 'S-001': 'SHOULD' },
  selected: null,
  profileRequirements: ['M-001', 'M-002', 'S-001'],
  actions: null,
};

function setup(requirements: readonly string[] = ['M-001', 'M-002', 'S-001']) {
  const redact = createRedactor(secretsOf(run.target));
  const { context, book } = createCheckContext({ checkId: 'unit.check', requirements, run, signal: new AbortController().signal, redact });
  // runs a body the way the engine does and returns the settled decisions
  const settle = async (body: () => void | Promise<void>): Promise<Decision[]> => {
    let ending: unknown;
    try {
      await body();
    } catch (error) {
      ending = error;
    }
    return settleDecisions(book, 'unit.check', ending, redact);
  };
  return { context, book, settle };
}

function byId(decisions: readonly Decision[]): Record<string, Decision> {
  return Object.fromEntries(decisions.map((d) => [d.requirement, d]));
}

describe('createCheckContext', () => {
  it('exposes the run: target, parameters, mode, and what the check declares', () => {
    const { context } = setup(['M-001']);
    expect(context.checkId).toBe('unit.check');
    expect(context.target.name).toBe('unit-target');
    expect(context.mode).toBe('full');
    expect(context.parameter('responseTimeoutMs')).toBe(2000);
    expect(context.declares('M-001')).toBe(true);
    expect(context.declares('M-002')).toBe(false);
  });

  it('throws on a parameter the profile does not define (a suite defect)', () => {
    expect(() => setup().context.parameter('responseTimoutMs')).toThrow(/unit\.check.*"responseTimoutMs"/);
  });

  it('turns a miss of a MUST into FAIL and of a SHOULD into WARN', async () => {
    const { context, settle } = setup();
    const decisions = byId(
      await settle(() => {
        context.fail('M-001', 'expected Oi4, saw oi4');
        context.fail('S-001', 'expected an answer within 2 s');
        context.pass('M-002');
      }),
    );
    expect(decisions['M-001']).toEqual({ requirement: 'M-001', outcome: 'FAIL', message: 'expected Oi4, saw oi4' });
    expect(decisions['S-001']?.outcome).toBe('WARN');
    expect(decisions['M-002']).toEqual({ requirement: 'M-002', outcome: 'PASS', message: '' });
  });

  it('verify() passes without problems and fails with each problem otherwise', async () => {
    const { context, settle } = setup();
    const decisions = byId(
      await settle(() => {
        context.verify('M-001', []);
        context.verify('M-002', ['field A missing', 'field B wrong']);
        context.notApplicableTo('S-001', 'no Data');
      }),
    );
    expect(decisions['M-001']?.outcome).toBe('PASS');
    expect(decisions['M-002']).toMatchObject({ outcome: 'FAIL', message: 'field A missing; field B wrong' });
    expect(decisions['S-001']).toMatchObject({ outcome: 'NA', message: 'no Data' });
  });

  it('throws when the body decides a requirement the check does not declare', () => {
    const { context } = setup(['M-001']);
    expect(() => context.pass('M-002')).toThrow(/does not declare/);
  });

  it('redacts secrets in fail messages, problems and reasons', async () => {
    const { context, settle } = setup();
    const decisions = byId(
      await settle(() => {
        context.fail('M-001', `CONNECT carried password ${SECRET}`);
        context.verify('M-002', [`user lab:${SECRET}`]);
        context.notApplicable(`because ${SECRET}`);
      }),
    );
    for (const d of Object.values(decisions)) expect(d.message).not.toContain(SECRET);
    expect(decisions['M-001']?.message).toBe('CONNECT carried password ***');
    expect(decisions['S-001']?.message).toBe('because ***');
  });
});

describe('settleDecisions', () => {
  it('makes every requirement left undecided at a normal end an ERROR naming a suite defect', async () => {
    const { context, settle } = setup();
    const decisions = byId(await settle(() => context.pass('M-001')));
    expect(decisions['M-001']?.outcome).toBe('PASS');
    for (const id of ['M-002', 'S-001']) {
      expect(decisions[id]?.outcome).toBe('ERROR');
      expect(decisions[id]?.message).toContain(`ended without deciding ${id} (suite defect)`);
    }
  });

  it('notApplicable() ends the check: code after it does not run, undecided requirements become NA', async () => {
    const { context, settle } = setup();
    let reachedAfter = false;
    const decisions = byId(
      await settle(() => {
        context.fail('M-001', 'bad');
        context.notApplicable('the profile lists no Data');
        reachedAfter = true;
      }),
    );
    expect(reachedAfter).toBe(false);
    expect(decisions['M-001']?.outcome).toBe('FAIL');
    expect(decisions['M-002']).toMatchObject({ outcome: 'NA', message: 'the profile lists no Data' });
    expect(decisions['S-001']).toMatchObject({ outcome: 'NA', message: 'the profile lists no Data' });
  });

  it('notExecuted() with a list decides those and marks the rest as not reached', async () => {
    const { context, settle } = setup();
    const decisions = byId(await settle(() => context.notExecuted('no restart action', ['M-002'])));
    expect(decisions['M-002']).toMatchObject({ outcome: 'NOT_EXECUTED', message: 'no restart action' });
    expect(decisions['M-001']).toMatchObject({ outcome: 'NOT_EXECUTED', message: 'not reached: no restart action' });
    expect(decisions['S-001']?.message).toBe('not reached: no restart action');
  });

  it('a CheckEnd does not overwrite what was already decided', async () => {
    const { context, settle } = setup();
    const decisions = byId(
      await settle(() => {
        context.pass('M-002');
        context.notExecuted('stopped', ['M-002', 'M-001']);
      }),
    );
    expect(decisions['M-002']?.outcome).toBe('PASS');
    expect(decisions['M-001']?.outcome).toBe('NOT_EXECUTED');
  });

  it('makes the undecided requirements ERROR with the message of a thrown error, redacted', async () => {
    const { context, settle } = setup();
    const decisions = byId(
      await settle(async () => {
        context.pass('M-001');
        await Promise.resolve();
        throw new Error(`cannot connect with ${SECRET}`);
      }),
    );
    expect(decisions['M-001']?.outcome).toBe('PASS');
    expect(decisions['M-002']).toMatchObject({ outcome: 'ERROR', message: 'check unit.check stopped: cannot connect with ***' });
    expect(decisions['S-001']?.outcome).toBe('ERROR');
  });

  it('accepts a thrown non-Error value', async () => {
    const { settle } = setup(['M-001']);
    const decisions = await settle(() => {
      // a body may throw anything, not only an Error
      throw 'plain string';
    });
    expect(decisions).toEqual([{ requirement: 'M-001', outcome: 'ERROR', message: 'check unit.check stopped: plain string' }]);
  });

  it('CheckEnd carries its outcome, reason and requirements', () => {
    const end = new CheckEnd('NA', 'why', ['M-001']);
    expect(end).toBeInstanceOf(Error);
    expect(end).toMatchObject({ name: 'CheckEnd', outcome: 'NA', reason: 'why', message: 'why', requirements: ['M-001'] });
  });
});
