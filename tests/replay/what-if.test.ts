import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { whatIf } from '../../bin/commands/what-if.js';
import type { VirtualClock } from '../../infra/local/clock.js';
import type { Runtime } from '../../infra/local/runtime.js';
import { driveToEnd } from '../support/drive.js';
import { example, exampleJson, startTestPlatform, type Api } from '../support/platform.js';
import { finishedWhatIf } from '../support/audit.js';

let runtime: Runtime;
let clock: VirtualClock;
let api: Api;
const ids: Record<string, string> = {};

beforeAll(async () => {
  ({ runtime, clock, api } = await startTestPlatform('2025-05-20T02:00:00Z'));
  for (const [file, day] of [['cn/CN-1.json', '2025-05-20'], ['cn/CN-2.json', '2025-06-10'], ['cn/CN-4.json', '2025-06-12']] as const) {
    clock.set(Date.parse(`${day}T02:00:00Z`));
    const { body } = await api.post('/declarations', example(file));
    await driveToEnd(api, body.id);
    ids[file] = body.id;
  }
}, 120_000);
afterAll(() => runtime?.stop());

/** The CN tariff line of 8509400000 (CN-1's food grinders) at 12 % instead of 10 %. */
const grindersAt12 = {
  kind: 'tariff-line',
  records: [{
    id: 'CN/tariff/8509400000', version: 2, validFrom: '2024-01-01', source: 'what-if: MFN 12 %', illustrative: true,
    jurisdiction: 'CN', commodityCode: '8509400000', description: 'food grinders, mixers, juice extractors', mfn: { adValoremPct: '12' },
  }],
};

describe('POST /audits/what-if: a tariff change over a selection', () => {
  it('shows the expected per-line deltas for a changed duty rate, and the total revenue effect', async () => {
    const started = await api.post('/audits/what-if', { selection: { from: '2025-05-01', to: '2025-06-30' }, overrides: { tax: [grindersAt12] } });
    expect(started.status).toBe(202);
    const result = await finishedWhatIf(api, runtime, started.body.id);
    expect(result).toMatchObject({ total: 3, done: 3 });

    // Worked example CN-1 (关税法 Art. 23; 增值税暂行条例 Art. 14): CIF USD 100000 at 7.1000 = CNY 710000.00.
    // Duty 12 % = 85200.00 (was 10 % = 71000.00); VAT 13 % × (710000.00 + 85200.00) = 103376.00 (was 101530.00).
    const cn1 = result.outcomes.find((o: any) => o.declarationId === ids['cn/CN-1.json']);
    expect(cn1.taxLines).toEqual([
      expect.objectContaining({ type: 'DUTY', recorded: '71000.00', replayed: '85200.00', delta: '14200.00', currency: 'CNY' }),
      expect.objectContaining({ type: 'VAT', recorded: '101530.00', replayed: '103376.00', delta: '1846.00', currency: 'CNY' }),
    ]);
    expect(cn1.taxDelta).toEqual({ CNY: '16046.00' });
    // The other declarations are other commodities: untouched.
    for (const other of result.outcomes.filter((o: any) => o !== cn1)) expect(other.taxDelta).toEqual({ CNY: '0.00' });
    expect(result.summary).toMatchObject({ declarations: 3, revenueEffect: { CNY: '16046.00' }, channelChanges: {} });
  });

  it('narrows the selection by HS chapter and trader', async () => {
    const byChapter = await api.post('/audits/what-if', { selection: { from: '2025-05-01', to: '2025-06-30', hsChapter: '85' }, overrides: { tax: [grindersAt12] } });
    const chapter = await finishedWhatIf(api, runtime, byChapter.body.id);
    expect(chapter.outcomes.map((o: any) => o.declarationId).sort()).toEqual(
      Object.entries(ids).filter(([file]) => exampleJson(file).items.some((i: any) => i.commodityCode.startsWith('85'))).map(([, id]) => id).sort(),
    );
    const byTrader = await api.post('/audits/what-if', { selection: { from: '2025-05-01', to: '2025-06-30', traderId: 'nobody' }, overrides: { tax: [grindersAt12] } });
    expect(await finishedWhatIf(api, runtime, byTrader.body.id)).toMatchObject({ total: 0, summary: { declarations: 0 } });
  });

  it('moves channels and counts hits with a new risk profile set', async () => {
    const redForGrinders = {
      id: 'WHATIF-GRINDERS', version: 1, author: 'risk-analyst:a', approver: 'risk-head:b', rationale: 'what-if: every food grinder to inspection',
      scope: {}, validFrom: '2024-01-01', criteria: [{ type: 'hsCode', prefixes: ['85094'] }], channel: 'RED', weight: 50, selection: { kind: 'RULE' },
    };
    const started = await api.post('/audits/what-if', { selection: { from: '2025-05-01', to: '2025-06-30' }, overrides: { riskProfiles: [redForGrinders] } });
    if (started.status !== 202) throw new Error(JSON.stringify(started.body));
    const result = await finishedWhatIf(api, runtime, started.body.id);
    expect(result.summary.channelChanges).toEqual({ 'GREEN→RED': 1 });
    expect(result.summary.profileHits['WHATIF-GRINDERS@1']).toEqual({ recorded: 0, replayed: 1 });
  });

  it('refuses a what-if without other reference data, storing nothing', async () => {
    const refused = await api.post('/audits/what-if', { selection: { from: '2025-05-01', to: '2025-06-30' }, overrides: {} });
    expect(refused).toMatchObject({ status: 422, body: { code: 'CWY-REQ-001' } });
  });

  it('runs from the CLI with a progress bar', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'what-if-')), 'tariff.json');
    writeFileSync(file, JSON.stringify(grindersAt12));
    const out: string[] = [];
    const progress: string[] = [];
    const code = await whatIf(['--from', '2025-05-01', '--to', '2025-06-30', '--tax', file, '--url', api.baseUrl, '--token', api.token({ role: 'auditor' })], {
      fetch, out: (t) => out.push(t), progress: (t) => progress.push(t), sleep: (ms) => new Promise((r) => setTimeout(r, Math.min(ms, 5))),
    });
    expect(code).toBe(0);
    expect(progress.filter((p) => p.startsWith('[')).at(-1)).toBe(`[${'#'.repeat(30)}] 3/3 replayed`);
    expect(out.join('\n')).toContain('revenue effect: 16046.00 CNY');
  });
});
