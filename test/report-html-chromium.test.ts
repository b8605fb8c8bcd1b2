import { accessSync, constants, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { writeReportHtml } from '../harness/report/html.js';
import { readReport, runCli, tempDir } from './support/cli.js';
import { checkRow, minimalReport, requirementRow } from './unit/support/report.js';

// report.html in a real browser: what the unit tests can only infer from the markup (the filter works under the
// page's own Content-Security-Policy, nothing is fetched, print hides the controls, a PDF comes out, and hostile
// evidence runs no script) is observed here.

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

const available = executable(CHROMIUM);
// CI installs chromium, so there a missing browser is a failure, not a skip
const skip = !available && process.env['CI'] !== 'true';
if (skip) console.warn(`report.html browser tests skipped: ${CHROMIUM} is not installed (apt-get install chromium); in CI they fail instead`);

const cleanup: string[] = [];
afterEach(() => {
  for (const dir of cleanup.splice(0)) rmSync(dir, { recursive: true, force: true });
});

interface Opened {
  readonly page: Page;
  /** every URL the page asked for, the page itself included */
  readonly requests: string[];
  /** console errors and uncaught exceptions: a CSP refusal of the page's own script would show here */
  readonly errors: string[];
  readonly close: () => Promise<void>;
}

async function openInChromium(file: string): Promise<Opened> {
  if (!available) throw new Error(`${CHROMIUM} is missing: CI must install chromium for the report.html browser tests`);
  const userDataDir = tempDir('chromium-profile');
  cleanup.push(userDataDir);
  const context: BrowserContext = await chromium.launchPersistentContext(userDataDir, { executablePath: CHROMIUM, headless: true, args: ARGS, timeout: 60_000 });
  const page = context.pages()[0] ?? (await context.newPage());
  const requests: string[] = [];
  const errors: string[] = [];
  context.on('request', (request) => requests.push(request.url()));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('dialog', (dialog) => {
    errors.push(`dialog opened: ${dialog.message()}`);
    void dialog.dismiss();
  });
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load', timeout: 30_000 });
  return { page, requests, errors, close: () => context.close() };
}

describe('report.html in headless Chromium', () => {
  it.skipIf(skip)('shows a real failing run: verdict, the failure with its MQTT evidence, a working filter, print view and PDF, no network', async () => {
    const out = tempDir('html-run');
    cleanup.push(out);
    const run = await runCli(['run', '--profile', 'oi4-oec-application', '--target', 'embedded:oi4-app', '--fault', 'config-set-uncorrelated', '--mode', 'quick', '--out', out], {
      timeoutMs: 120_000,
    });
    expect(run.code, run.stderr).toBe(1);
    const report = readReport(out);
    const failing = report.requirements.find((r) => r.id === 'OI4-CFG-003');
    expect(failing?.outcome).toBe('FAIL');
    const check = report.checks.find((c) => c.id === failing!.checks[0]);
    const evidenceFile = check?.evidence[0]?.file;
    expect(evidenceFile).toBeDefined();
    // the message the harness sent to set the parameter: the page must show it inline, topic and payload
    const records = readFileSync(join(out, evidenceFile!), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { direction: string; topic: string; payload: string });
    const setMessage = records.find((r) => r.direction === 'sent' && r.topic.includes('/Set/Config/'));
    expect(setMessage).toBeDefined();
    const messageId = (JSON.parse(setMessage!.payload) as { MessageId: string }).MessageId;

    const opened = await openInChromium(join(out, 'report.html'));
    try {
      const { page } = opened;
      expect(await page.locator('.banner .verdict').textContent()).toBe('NOT_CONFORMANT');
      expect(await page.locator('.banner .mark-quick').isVisible()).toBe(true);
      expect(await page.locator('.banner .mark-noncert').isVisible()).toBe(true);

      const detail = page.locator('section.detail[data-requirement="OI4-CFG-003"]');
      expect(await detail.isVisible()).toBe(true);
      expect(await detail.locator('.seen').innerText()).toContain('CorrelationId');
      const topicCell = detail.locator('table.evidence td.topic', { hasText: setMessage!.topic }).first();
      expect(await topicCell.isVisible()).toBe(true);
      const payload = detail.locator('pre.payload', { hasText: messageId }).first();
      expect(await payload.isVisible()).toBe(true);

      // the filter: show FAIL only, then everything again
      const filter = page.locator('#outcome-filter');
      expect(await filter.isVisible()).toBe(true);
      const passRow = page.locator('table.requirements tr[data-outcome="PASS"]').first();
      const failRow = page.locator('table.requirements tr[data-requirement="OI4-CFG-003"]');
      expect(await passRow.isVisible()).toBe(true);
      for (const box of await filter.locator('input[type="checkbox"]').all()) {
        if ((await box.getAttribute('data-outcome')) !== 'FAIL') await box.uncheck();
      }
      expect(await passRow.isHidden()).toBe(true);
      expect(await failRow.isVisible()).toBe(true);
      expect(await page.locator('#filter-status').textContent()).toBe(`1 of ${report.requirements.length} shown`);

      // print: no controls, and the certificate lists every requirement whatever was filtered on screen
      await page.emulateMedia({ media: 'print' });
      expect(await filter.isHidden()).toBe(true);
      expect(await passRow.isVisible()).toBe(true);
      expect(await page.locator('#preflight table.evidence').first().isVisible()).toBe(true);
      const pdf = await page.pdf({ format: 'A4' });
      expect(pdf.length).toBeGreaterThan(10_000);
      expect(pdf.subarray(0, 4).toString('latin1')).toBe('%PDF');

      await page.emulateMedia({ media: 'screen' });
      await filter.getByRole('button', { name: 'all' }).click();
      expect(await passRow.isVisible()).toBe(true);

      expect(opened.requests).toEqual([pathToFileURL(join(out, 'report.html')).href]);
      expect(opened.errors).toEqual([]);
    } finally {
      await opened.close();
    }
  });

  it.skipIf(skip)('runs no script a hostile target put into its evidence or its identity', async () => {
    const dir = tempDir('html-hostile');
    cleanup.push(dir);
    const script = '<script>window.__pwned=1</script>';
    const image = '<img src=x onerror="window.__pwned=1">';
    const hostile = `</script>${script}${image}'"`;
    const record = {
      seq: 1,
      at: '2025-01-01T00:00:00.000Z',
      direction: 'received',
      topic: `Oi4/${hostile}`,
      qos: 0,
      retain: false,
      bytes: 10,
      sha256: 'c'.repeat(64),
      payload: `${script}${image}`,
      encoding: 'utf8',
      truncated: false,
    };
    const file = 'evidence/hostile.check.jsonl';
    const check = {
      ...checkRow('hostile.check', 'FAIL', hostile),
      decisions: [{ requirement: 'T-001', outcome: 'FAIL' as const, message: hostile }],
      evidence: [{ file, sha256: 'c'.repeat(64), records: 1, dropped: 0 }],
    };
    const report = minimalReport({
      verdict: 'NOT_CONFORMANT',
      exitCode: 1,
      target: { ...minimalReport().target, name: hostile, identities: [{ source: hostile, fields: { Manufacturer: image, Model: script } }], identity: null },
      requirements: [{ ...requirementRow('T-001', 'FAIL', hostile), title: image, checks: ['hostile.check'] }],
      checks: [check],
      errors: [image],
      notes: [script],
    });
    mkdirSync(join(dir, 'evidence'));
    writeFileSync(join(dir, file), JSON.stringify(record) + '\n');
    writeReportHtml(dir, report);

    const opened = await openInChromium(join(dir, 'report.html'));
    try {
      const { page } = opened;
      expect(await page.evaluate(() => (globalThis as { __pwned?: unknown }).__pwned)).toBeUndefined();
      // the hostile text is shown as text where it was sent
      const detail = page.locator('section.detail[data-requirement="T-001"]');
      expect(await detail.locator('pre.payload').first().textContent()).toBe(`${script}${image}`);
      expect(await detail.locator('td.topic').first().textContent()).toBe(`Oi4/${hostile}`);
      expect(await page.locator('img').count()).toBe(0);
      expect(await page.locator('script').count()).toBe(1);
      // nothing was injected, so nothing needed refusing: no CSP report, no request for "x"
      expect(opened.errors).toEqual([]);
      expect(opened.requests).toEqual([pathToFileURL(join(dir, 'report.html')).href]);
    } finally {
      await opened.close();
    }
  });
});
