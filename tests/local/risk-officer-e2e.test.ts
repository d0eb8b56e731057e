/**
 * Officer work on the local runtime, over HTTP (issue 6): a red-channel declaration waits in the
 * inspection queue, the officer asks for documents, records a value discrepancy, the tax is
 * reassessed on the value found and the exception reaches the enforcement queue; prohibited
 * goods are seized; work left past its deadline moves to the supervisor; the report measures it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../infra/local/runtime.js';
import type { VirtualClock } from '../../infra/local/clock.js';
import { riskReport } from '../../bin/commands/risk-report.js';
import { exampleJson, finished, startTestPlatform, type Api } from '../support/platform.js';

let runtime: Runtime;
let clock: VirtualClock;
let api: Api;

beforeAll(async () => {
  // CN-1's date (examples/manifest.json submitOn 2025-05-20), 10:00 Beijing time.
  ({ runtime, clock, api } = await startTestPlatform('2025-05-20T02:00:00Z'));
});
afterAll(() => runtime?.stop());

/** CN-1 (CIF USD 100000, 8509400000) from North Korea: RP-ORIGIN-KP screens it RED (inspection). */
const fromNorthKorea = (lrn: string) => {
  const declaration = exampleJson('cn/CN-1.json');
  declaration.lrn = lrn;
  declaration.payment = { method: 'GUARANTEE', account: 'GUA-2248-2025-00001' };
  declaration.items[0].origin = 'KP';
  return declaration;
};
const held = async (lrn: string) => {
  const { id } = (await api.post('/declarations', fromNorthKorea(lrn))).body;
  await api.until(id, (v) => v.status === 'HELD');
  return id as string;
};
const queue = async (name: string, status = 'OPEN') =>
  (await api.get(`/work-items?queue=${name}&status=${status}`)).body.items.map((item: any) => item.declarationId);
const enforcement = () => runtime.queues.peek('enforcement').map((m) => m.body as any);

describe('officer work on a red-channel declaration', () => {
  let id: string;

  it('opens a work item in the inspection queue with the screening explanation and a summary', async () => {
    id = await held('KP-VALUE-1');
    const { body } = await api.get('/work-items?queue=inspection');
    const item = body.items.find((i: any) => i.declarationId === id);
    expect(item).toMatchObject({
      queue: 'inspection',
      status: 'OPEN',
      channel: 'RED',
      escalated: false,
      taskTokenRef: { declarationId: id, kind: 'officer' },
      dueAt: '2025-05-22T02:00:00.000Z',
      summary: { lrn: 'KP-VALUE-1', origins: ['KP'], commodityCodes: ['8509400000'], invoiceTotal: { amount: '100000.00', currency: 'USD' } },
    });
    expect(item.explanation).toContain('RP-ORIGIN-KP@1 → RED');
  });

  it('refuses an unknown queue with a pointer to the parameter', async () => {
    expect(await api.get('/work-items?queue=canteen')).toMatchObject({ status: 422, body: { pointer: '/queue' } });
  });

  it('hands the item to the declarant on a request for documents, and back to the queue on their answer', async () => {
    const asked = await api.post(`/declarations/${id}/decisions`, {
      decision: 'REQUEST_DOCUMENTS', officer: 'officer-3', reason: 'invoice looks low', documents: [{ type: 'INV', description: 'all invoices of the shipment' }],
    });
    expect(asked.status).toBe(202);
    expect(await queue('inspection')).not.toContain(id);
    expect(await queue('inspection', 'AWAITING_DOCUMENTS')).toContain(id);
    const answered = await api.post(`/declarations/${id}/documents`, { submittedBy: 'declarant-1', documents: [{ type: 'INV', id: 'INV-2025-0520-2' }] });
    expect(answered).toMatchObject({ status: 202, body: { queue: 'inspection', status: 'OPEN' } });
    expect(await queue('inspection')).toContain(id);
    expect((await api.get(`/declarations/${id}`)).body.status).toBe('HELD');
  });

  it('refuses documents nobody asked for, and stores nothing', async () => {
    const before = (await api.get(`/declarations/${id}`)).body.history.length;
    const answer = await api.post(`/declarations/${id}/documents`, { submittedBy: 'declarant-1', documents: [{ type: 'INV', id: 'X' }] });
    expect(answer).toMatchObject({ status: 409, body: { code: 'Conflict' } });
    expect((await api.get(`/declarations/${id}`)).body.history.length).toBe(before);
  });

  it('refuses a finding on a goods item the declaration does not have, and stores nothing', async () => {
    const answer = await api.post(`/declarations/${id}/decisions`, {
      decision: 'INSPECTION_RESULT', officer: 'officer-3', result: 'DISCREPANCY', findings: [{ type: 'value', item: 9, invoiceAmount: '1' }],
    });
    expect(answer).toMatchObject({ status: 422, body: { code: 'CWY-REQ-004', pointer: '/findings/0/item' } });
    expect(await queue('inspection')).toContain(id);
  });

  it('reassesses the tax on the value found and routes InspectionDiscrepancy to the enforcement queue', async () => {
    const decided = await api.post(`/declarations/${id}/decisions`, {
      decision: 'INSPECTION_RESULT', officer: 'officer-3', result: 'DISCREPANCY', reason: 'second invoice found in the container',
      findings: [{ type: 'value', item: 1, invoiceAmount: '150000' }],
      attachments: [{ name: 'invoice-2.pdf', mediaType: 'application/pdf', sizeBytes: 48213 }],
    });
    expect(decided).toMatchObject({ status: 202, body: { outcome: 'AMEND' } });
    const view = await api.until(id, finished);
    expect(view.status).toBe('RELEASED');
    // CN-1's rates (关税法 Art. 23: 10 % MFN duty — no general-rate rule for KP in reference-data; 增值税暂行条例 Art. 14: 13 %)
    // on the value found, USD 150000 × 7.1000 = CNY 1065000.00: duty 106500.00, VAT (1065000 + 106500) × 13 % = 152295.00.
    expect(view.taxLines).toEqual([
      expect.objectContaining({ type: 'DUTY', amount: '106500.00', currency: 'CNY' }),
      expect.objectContaining({ type: 'VAT', amount: '152295.00', currency: 'CNY' }),
    ]);
    // Declared: CN-1's published 71000.00 + 101530.00 = 172530.00; found 258795.00; difference 86265.00.
    const assessed = view.history.find((e: any) => e.type === 'TaxAssessed');
    expect(assessed.data.revenueFound).toEqual({ amount: '86265.00', currency: 'CNY' });
    await expect.poll(() => enforcement().map((m) => [m.detail.declarationId, m.detail.outcome])).toContainEqual([id, 'AMEND']);
    expect(await queue('inspection', 'CLOSED')).toContain(id);
  });
});

describe('prohibited goods and overdue officer work', () => {
  it('ends SEIZED, its own terminal state, when the officer finds prohibited goods', async () => {
    const id = await held('KP-SEIZE-1');
    await api.post(`/declarations/${id}/decisions`, {
      decision: 'INSPECTION_RESULT', officer: 'officer-3', result: 'DISCREPANCY', reason: 'weapons concealed',
      findings: [{ type: 'prohibitedGoods', item: 1, description: 'pistol parts inside the grinder housings' }],
    });
    const view = await api.until(id, finished);
    expect(view.status).toBe('SEIZED');
    expect(view.history.map((e: any) => e.type)).toEqual(expect.arrayContaining(['InspectionRecorded', 'GoodsSeized']));
    expect(view.history.map((e: any) => e.type)).not.toContain('TaxAssessed');
    await expect.poll(() => enforcement().map((m) => [m.detail.declarationId, m.detail.outcome])).toContainEqual([id, 'SEIZE']);
  });

  it('moves work left past the two-day deadline to the supervisor queue', async () => {
    const id = await held('KP-LATE-1');
    expect(await queue('inspection')).toContain(id);
    clock.advance(2 * 86_400_000 + 1000);
    await expect.poll(() => queue('supervisor')).toContain(id);
    expect(await queue('inspection')).not.toContain(id);
    const decided = await api.post(`/declarations/${id}/decisions`, { decision: 'INSPECTION_RESULT', officer: 'supervisor-1', result: 'NO_DISCREPANCY' });
    expect(decided).toMatchObject({ status: 202, body: { outcome: 'RELEASE' } });
    expect((await api.until(id, finished)).status).toBe('RELEASED');
  });

  it('measures the inspections: RP-ORIGIN-KP selected three, two with a discrepancy, revenue found', async () => {
    const { status, body } = await api.get('/risk/report?from=2025-05-20&to=2025-05-20');
    expect(status).toBe(200);
    expect(body.profiles.find((p: any) => p.profileId === 'RP-ORIGIN-KP')).toMatchObject({
      selections: 3, inspected: 3, hits: 2, hitRate: '0.6667', revenueFound: { CNY: '86265.00' },
    });
    expect(body.channels).toContainEqual({ lane: expect.any(String), channel: 'RED', declarations: 3, actualRate: '1.0000', expectedRate: '0.04' });
  });

  it('is printed by `clearway risk report --from … --to …`', async () => {
    const printed: string[] = [];
    const code = await riskReport(['--from', '2025-05-20', '--to', '2025-05-20', '--url', api.baseUrl, '--token', api.token({ role: 'auditor' })], { fetch, out: (text) => printed.push(text) });
    expect(code).toBe(0);
    expect(printed.join('\n')).toMatch(/RP-ORIGIN-KP\s+1\s+3\s+3\s+2\s+0\.6667\s+-\s+86265\.00 CNY/);
  });
});
