import { describe, expect, test } from 'vitest';
import { renderPlugfestHtml, validatePlugfestResult, type PlugfestResult } from '../../../harness/plugfest/index.js';

// what a hostile target can put into a plugfest matrix: its AppId, its messages, the reasons quoting them
const HOSTILE = `"><script>alert(1)</script><img src=x onerror=alert(2)>'&`;

function result(): PlugfestResult {
  const counts = { PASS: 1, FAIL: 1, WARN: 0, NA: 0, NOT_EXECUTED: 0, ERROR: 0, WAIVED: 1 };
  return {
    formatVersion: 1,
    name: 'lab',
    file: { name: 'plugfest.yaml', sha256: '0'.repeat(64) },
    suite: { name: 'oi4-conformance', version: '0.1.0' },
    startedAt: '2026-01-01T10:00:00.000Z',
    endedAt: '2026-01-01T10:01:00.000Z',
    durationMs: 60_000,
    mode: 'quick',
    concurrency: 2,
    broker: { kind: 'embedded', url: 'mqtt://127.0.0.1:1883' },
    interrupted: false,
    verdict: 'NOT_CONFORMANT',
    exitCode: 1,
    counts: { runs: { CONFORMANT: 0, NOT_CONFORMANT: 1, INCOMPLETE: 0, ERROR: 1, NOT_RUN: 0 }, crossTarget: { PASS: 0, FAIL: 1, NOT_EXECUTED: 0, ERROR: 0 } },
    requirements: [{ id: 'PLUGFEST-MAM', title: 't', level: 'MUST', source: 's' }],
    targets: [
      {
        name: 'evil',
        reference: 'embedded:oi4-app',
        kind: 'oi4-mqtt',
        origin: 'embedded',
        faults: [],
        sharedBroker: true,
        appId: HOSTILE,
        runs: [
          { profile: 'oi4-oec-application', profileTitle: 'x', verdict: 'NOT_CONFORMANT', exitCode: 1, certifying: false, counts, dir: 'targets/evil/oi4-oec-application', report: 'targets/evil/oi4-oec-application/report.json', html: 'targets/evil/oi4-oec-application/report.html', log: 'targets/evil/oi4-oec-application.log', startedAt: '2026-01-01T10:00:00.000Z', durationMs: 1000, errors: [HOSTILE] },
          { profile: 'oi4-oec-device', profileTitle: 'y', verdict: 'ERROR', exitCode: null, certifying: null, counts: null, dir: 'targets/evil/oi4-oec-device', report: null, html: null, log: 'targets/evil/oi4-oec-device.log', startedAt: null, durationMs: null, errors: [HOSTILE] },
        ],
      },
    ],
    crossTarget: {
      applies: true,
      reason: 'r',
      observer: { messages: 1, distinctMams: 1, unreadable: 0, dropped: 0, evidence: 'evidence/mam-observer.jsonl' },
      results: [{ requirement: 'PLUGFEST-MAM', target: 'evil', outcome: 'FAIL', reason: HOSTILE }],
    },
    heatMap: {
      targets: ['evil'],
      rows: [
        { requirement: 'PLUGFEST-MAM', title: HOSTILE, cells: { evil: { outcome: 'FAIL', profiles: [] } } },
        { requirement: 'OI4-TOP-001', title: 'x', cells: { evil: { outcome: 'WAIVED', profiles: ['oi4-oec-application'] } } },
        { requirement: 'OI4-LIF-002', title: 'x', cells: { evil: { outcome: 'NOT_EXECUTED', deferred: true, profiles: ['oi4-oec-application'] } } },
      ],
    },
    errors: [],
  };
}

describe('plugfest.html', () => {
  test('the sample matrix is a valid plugfest.json', () => {
    const checked = validatePlugfestResult(result());
    expect(checked.ok ? [] : checked.problems).toEqual([]);
  });

  test('escapes every text a target controls, fetches nothing, and runs no script', () => {
    const html = renderPlugfestHtml(result());
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<img');
    expect(html).toContain('&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'"`);
    // no element that loads anything: no src attribute on a tag, no stylesheet link, no CSS url(). Attribute values
    // are emptied first: an escaped text inside a title is harmless, and every value is double-quoted and escaped
    const markup = html.replace(/"[^"]*"/g, '""');
    expect(markup).not.toMatch(/<[a-z]+[^>]*\ssrc=|<link|url\(/i);
  });

  test('links each verdict to the run report, and colours the heat map by outcome, WAIVED and deferred included', () => {
    const html = renderPlugfestHtml(result());
    expect(html).toContain('<a class="badge fail" href="targets/evil/oi4-oec-application/report.html">NOT_CONFORMANT</a>');
    expect(html).toContain('<span class="badge error">ERROR</span>');
    expect(html).toContain('href="targets/evil/oi4-oec-device.log"');
    expect(html).toMatch(/<td class="waived" title="OI4-TOP-001 on evil: WAIVED — oi4-oec-application">WV<\/td>/);
    expect(html).toMatch(/<td class="ne deferred" title="OI4-LIF-002 on evil: NOT_EXECUTED \(deferred by quick mode\)/);
  });
});
