import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VirtualClock } from '../../infra/local/clock.js';
import type { Runtime } from '../../infra/local/runtime.js';
import { addressedTo } from '../../scripts/demo-driver.js';
import { driveToEnd } from '../support/drive.js';
import { example, exampleJson, finished, startTestPlatform, type Api } from '../support/platform.js';
import { replayedIdentically } from '../support/audit.js';

let runtime: Runtime;
let clock: VirtualClock;
let api: Api;

beforeAll(async () => {
  ({ runtime, clock, api } = await startTestPlatform('2022-11-14T10:00:00Z'));
});
afterAll(() => runtime?.stop());

const xml = 'application/xml';
const officer = () => api.as({ role: 'officer', sub: 'officer-9' });
const hour = 3_600_000;

const inputTypes = (report: any) => report.inputs.map((i: any) => i.type);
const stepTypes = (report: any) => report.comparison.steps.map((s: any) => s.type);
const history = async (id: string) => (await api.get(`/declarations/${id}`)).body.history;

/** Moves the clock on to `at` (the platform's clock never goes back). */
const reach = (at: string) => clock.set(Math.max(clock.now(), Date.parse(at)));

/** CN-1 (CIF USD 100000, duty 10 %, VAT 13 %) lodged on `date` (or later, where the clock is) under its own LRN. */
async function lodgedCn1(lrn: string, date: string, change?: (declaration: any) => void) {
  reach(`${date}T02:00:00Z`);
  const declaration = { ...exampleJson('cn/CN-1.json'), lrn };
  change?.(declaration);
  return (await api.post('/declarations', declaration)).body.id as string;
}

describe('replay of a declaration amended or cancelled after it was lodged', () => {
  describe('HMRC\'s samples with their additional messages, as `npm run demo` sends them', () => {
    it('TT_IM002b: the amendment asked after release and granted — reassessed on the spot, no second execution', async () => {
      const { id } = (await api.post('/declarations', example('wco-dms/TT_IM002b/TT_IM002a.xml'), xml)).body;
      const first = await api.until(id, finished);
      clock.advance(hour);
      const message = addressedTo(example('wco-dms/TT_IM002b/TT_IM002b_Amendment.xml'), first.entryNumber);
      expect((await api.post(`/declarations/${id}/amendments`, message, xml)).body.outcome).toBe('REQUESTED');
      clock.advance(hour);
      expect((await officer().post(`/declarations/${id}/decisions`, { decision: 'GRANT', officer: 'officer-9' })).status).toBe(202);

      const report = await replayedIdentically(api, id);
      expect(inputTypes(report).slice(-2)).toEqual(['AmendmentRequested', 'AdditionalMessageDecided']);
      expect(report).toMatchObject({ execution: `${id}-v1`, status: 'RELEASED' });
      expect(stepTypes(report).slice(-3)).toEqual(['AdditionalMessageDecided', 'DeclarationAmended', 'TaxReassessed']);
    });

    it('TT_IM011a: the clearance request amended (62 kg) and then cancelled, each asked after release and granted', async () => {
      reach('2024-02-22T02:00:00Z');
      const { id } = (await api.post('/declarations', example('wco-dms/TT_IM011a/TT_IM011a.xml'), xml)).body;
      const first = await api.until(id, finished);
      for (const [file, kind] of [['TT_IM011a_Amendment.xml', 'amendments'], ['TT_IM011a_Cancellation.xml', 'cancellation']]) {
        clock.advance(hour);
        expect((await api.post(`/declarations/${id}/${kind}`, addressedTo(example(`wco-dms/TT_IM011a/${file}`), first.entryNumber), xml)).body.outcome).toBe('REQUESTED');
        clock.advance(hour);
        expect((await officer().post(`/declarations/${id}/decisions`, { decision: 'GRANT', officer: 'officer-9' })).status).toBe(202);
      }

      const report = await replayedIdentically(api, id);
      expect(inputTypes(report).slice(-4)).toEqual(['AmendmentRequested', 'AdditionalMessageDecided', 'CancellationRequested', 'AdditionalMessageDecided']);
      expect(report.status).toBe('CANCELLED');
    });

    it('TT_IM003a: the amendment applied while the tax notice waited — version 2 re-run from receipt, then paid', async () => {
      reach('2024-02-22T09:00:00Z');
      const { id } = (await api.post('/declarations', example('wco-dms/TT_IM003a/TT_IM003a.xml'), xml)).body;
      const first = await api.until(id, (v) => v.status === 'AWAITING_PAYMENT');
      clock.advance(hour);
      const message = addressedTo(example('wco-dms/TT_IM003a/TT_IM003a_Amendment_(Step_3).xml'), first.entryNumber);
      expect((await api.post(`/declarations/${id}/amendments`, message, xml)).body.outcome).toBe('APPLIED');
      await driveToEnd(api, id);

      const report = await replayedIdentically(api, id);
      expect(inputTypes(report)).toEqual(['DeclarationAmended', 'PaymentReceived']);
      expect(report).toMatchObject({ execution: `${id}-v2`, status: 'RELEASED' });
      // Version 2 was accepted, screened and assessed again in the sandbox, on the binding it recorded.
      expect(stepTypes(report).filter((type: string) => type === 'AmendmentAccepted')).toHaveLength(1);
    });
  });

  describe('before the taxes are settled', () => {
    it('replays an amended value in <id>-v2: the first notice withdrawn, the new one assessed and paid', async () => {
      const id = await lodgedCn1('REPLAY-AMEND-1', '2025-05-20');
      await api.until(id, (v) => v.status === 'AWAITING_PAYMENT');
      clock.advance(hour);
      const changes = [{ op: 'replace', path: '/items/0/invoiceAmount', value: '90000' }];
      expect((await api.post(`/declarations/${id}/amendments`, { reasonCode: '21', reason: 'Invoice corrected', changes })).body.version).toBe(2);
      const view = await driveToEnd(api, id);
      expect(view.version).toBe(2);

      const report = await replayedIdentically(api, id);
      expect(report).toMatchObject({ execution: `${id}-v2`, status: 'RELEASED' });
      expect(stepTypes(report)).toContain('ExecutionSuperseded');
      expect((await history(id)).find((e: any) => e.type === 'ExecutionSuperseded').data).toMatchObject({ execution: `${id}-v1`, by: 'AMENDMENT' });
    });

    it('replays a held declaration amended out of the risky heading: re-screened on green, its work item closed', async () => {
      const id = await lodgedCn1('REPLAY-TOBACCO-1', '2025-06-10', (d) => {
        d.items[0].commodityCode = '2401201000';
        d.payment = { method: 'GUARANTEE', account: 'GUA-2248-2025-00001' };
      });
      expect((await api.until(id, (v) => v.status === 'HELD')).channel).toBe('YELLOW');
      clock.advance(hour);
      const changes = [{ op: 'replace', path: '/items/0/commodityCode', value: '8509400000' }];
      await api.post(`/declarations/${id}/amendments`, { reasonCode: '17', reason: 'Wrong commodity code keyed', changes });
      await driveToEnd(api, id);

      const report = await replayedIdentically(api, id);
      expect((await history(id)).filter((e: any) => e.type === 'RiskScreened').map((e: any) => e.data.channel)).toEqual(['YELLOW', 'GREEN']);
      expect(stepTypes(report).filter((type: string) => type === 'RiskScreened')).toHaveLength(2);
    });

    it('replays a cancellation while the notice waits: the execution stopped, CANCELLED', async () => {
      const id = await lodgedCn1('REPLAY-CANCEL-1', '2025-05-20');
      await api.until(id, (v) => v.status === 'AWAITING_PAYMENT');
      clock.advance(hour);
      await api.post(`/declarations/${id}/cancellation`, { reasonCode: '1', reason: 'Goods no longer imported' });

      const report = await replayedIdentically(api, id);
      expect(inputTypes(report)).toEqual(['DeclarationCancelled']);
      expect(report).toMatchObject({ execution: `${id}-v1`, status: 'CANCELLED' });
    });
  });

  describe('after release, decided by an officer', () => {
    /** Three CN-1 declarations released on 2025-06-10, each then asked to change. */
    const released: Record<'refused' | 'refund' | 'supplement', string> = { refused: '', refund: '', supplement: '' };
    beforeAll(async () => {
      for (const key of Object.keys(released) as (keyof typeof released)[]) {
        released[key] = await lodgedCn1(`REPLAY-AFTER-RELEASE-${key}`, '2025-06-10');
        await driveToEnd(api, released[key]);
      }
    });

    it('replays a refused request: the declaration left as it was', async () => {
      const id = released.refused;
      clock.advance(hour);
      expect((await api.post(`/declarations/${id}/cancellation`, { reason: 'changed my mind' })).body.outcome).toBe('REQUESTED');
      clock.advance(hour);
      const refused = await officer().post(`/declarations/${id}/decisions`, { decision: 'REFUSE', officer: 'officer-9', reason: 'goods released and used' });
      expect(refused.body).toMatchObject({ decision: 'REFUSE' });

      const report = await replayedIdentically(api, id);
      expect(inputTypes(report).slice(-2)).toEqual(['CancellationRequested', 'AdditionalMessageDecided']);
      expect(report).toMatchObject({ status: 'RELEASED' });
    });

    it('replays a granted lower invoice: the refund on the claim with its interest, as recorded', async () => {
      const id = released.refund;
      clock.advance(30 * 24 * hour);
      const changes = [{ op: 'replace', path: '/items/0/invoiceAmount', value: '95000' }];
      expect((await api.post(`/declarations/${id}/amendments`, { reasonCode: '21', reason: 'Invoice corrected', changes })).body.outcome).toBe('REQUESTED');
      clock.advance(24 * hour);
      expect((await officer().post(`/declarations/${id}/decisions`, { decision: 'GRANT', officer: 'officer-9' })).body).toMatchObject({ decision: 'GRANT' });
      expect((await history(id)).at(-1)).toMatchObject({ type: 'TaxReassessed', data: { effect: { kind: 'REFUND' } } });

      const report = await replayedIdentically(api, id);
      expect(stepTypes(report).at(-1)).toBe('TaxReassessed');
    });

    it('replays a higher invoice granted with the trader at fault: the supplementary assessment and its late fee', async () => {
      const id = released.supplement;
      clock.advance(30 * 24 * hour);
      const changes = [{ op: 'replace', path: '/items/0/invoiceAmount', value: '110000' }];
      expect((await api.post(`/declarations/${id}/amendments`, { reasonCode: '21', reason: 'Invoice corrected', changes })).body.outcome).toBe('REQUESTED');
      clock.advance(24 * hour);
      const granted = await officer().post(`/declarations/${id}/decisions`, { decision: 'GRANT', officer: 'officer-9', cause: 'TRADER_BREACH' });
      expect(granted.body).toMatchObject({ decision: 'GRANT' });
      expect((await history(id)).at(-1)).toMatchObject({ type: 'TaxReassessed', data: { effect: { kind: 'SUPPLEMENTARY_ASSESSMENT' } } });

      const report = await replayedIdentically(api, id);
      expect(stepTypes(report).at(-1)).toBe('TaxReassessed');
    });
  });
});
