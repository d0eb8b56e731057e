/**
 * Lane parameters on the local runtime, over HTTP (issue 6): a GREEN declaration stands by in
 * its lane's stand-by queue before release, where an officer may still select it for control;
 * a sampling profile's run of unselected hits is capped by the lane (the counters live in the
 * table and move with every screening). The lanes come from a copy of reference-data/ with
 * these parameters set on CN-IMPORT.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VirtualClock } from '../../infra/local/clock.js';
import type { Runtime } from '../../infra/local/runtime.js';
import { exampleJson, finished, startTestPlatform, type Api } from '../support/platform.js';

const STAND_BY_SECONDS = 600;
const referenceData = mkdtempSync(join(tmpdir(), 'clearway-lanes-'));

/** reference-data/ with CN-IMPORT standing GREEN declarations by and capping unselected hits at 2. */
function laneReferenceData(): void {
  cpSync('reference-data', referenceData, { recursive: true });
  const lanesFile = join(referenceData, 'risk', 'lanes.json');
  const lanes = JSON.parse(readFileSync(lanesFile, 'utf8'));
  const cn = lanes.lanes.find((lane: any) => lane.id === 'CN-IMPORT');
  Object.assign(cn, { standBySeconds: STAND_BY_SECONDS, maximumHitsWithoutSelection: 2 });
  writeFileSync(lanesFile, JSON.stringify(lanes));
  // A sampling profile on Japanese origin whose draw (0.01 %) practically never selects.
  const profilesFile = join(referenceData, 'risk', 'profiles.json');
  const profiles = JSON.parse(readFileSync(profilesFile, 'utf8'));
  profiles.profiles.push({
    id: 'RP-SAMPLE-JP', version: 1, author: 'analyst:test', approver: 'head:test', rationale: 'lane cap test',
    validFrom: '2024-01-01', scope: { jurisdictions: ['CN'], direction: 'IMPORT' },
    criteria: [{ type: 'originCountry', countries: ['JP'] }], channel: 'RED', weight: 40,
    selection: { kind: 'SAMPLE', rate: '0.0001' },
  });
  writeFileSync(profilesFile, JSON.stringify(profiles));
}

let runtime: Runtime;
let clock: VirtualClock;
let api: Api;

beforeAll(async () => {
  laneReferenceData();
  process.env.CLEARWAY_REFERENCE_DATA_DIR = referenceData;
  ({ runtime, clock, api } = await startTestPlatform('2025-05-20T02:00:00Z'));
});
afterAll(async () => {
  await runtime?.stop();
  rmSync(referenceData, { recursive: true, force: true });
});

/** CN-1 (8509400000, US origin, guarantee) under another LRN. */
const cn1 = (lrn: string, origin = 'US') => {
  const declaration = exampleJson('cn/CN-1.json');
  declaration.lrn = lrn;
  declaration.payment = { method: 'GUARANTEE', account: 'GUA-2248-2025-00001' };
  declaration.items[0].origin = origin;
  return declaration;
};
const submit = async (declaration: unknown) => (await api.post('/declarations', declaration)).body.id as string;
const queue = async (name: string, status = 'OPEN') =>
  (await api.get(`/work-items?queue=${name}&status=${status}`)).body.items.map((item: any) => item.declarationId);
const decide = (id: string, decision: Record<string, unknown>) => api.post(`/declarations/${id}/decisions`, { officer: 'officer-7', ...decision });

describe('stand-by before green release', () => {
  it('parks a GREEN declaration in the stand-by queue until its stand-by ends, then releases it', async () => {
    const id = await submit(cn1('STANDBY-1'));
    await api.until(id, (view) => view.status === 'STAND_BY');
    const { body } = await api.get('/work-items?queue=stand-by');
    expect(body.items.find((item: any) => item.declarationId === id)).toMatchObject({
      queue: 'stand-by', channel: 'GREEN', dueAt: new Date(clock.now() + STAND_BY_SECONDS * 1000).toISOString(),
    });

    clock.advance(STAND_BY_SECONDS * 1000 + 1000);
    const view = await api.until(id, finished);
    expect(view.status).toBe('RELEASED');
    expect(view.history.map((event: any) => event.type)).toEqual(expect.arrayContaining(['StandByStarted', 'StandByElapsed']));
    expect(await queue('stand-by')).not.toContain(id);
    expect(await queue('stand-by', 'CLOSED')).toContain(id);
  });

  it('holds it for inspection when an officer selects it for control during the stand-by', async () => {
    const id = await submit(cn1('STANDBY-2'));
    await api.until(id, (view) => view.status === 'STAND_BY');
    expect(await decide(id, { decision: 'SELECT_FOR_CONTROL', channel: 'RED', reason: 'tip-off' })).toMatchObject({ status: 202 });
    expect((await api.until(id, (view) => view.status === 'HELD')).channel).toBe('RED');
    expect(await queue('inspection')).toContain(id);

    expect(await decide(id, { decision: 'RELEASE', reason: 'checked' })).toMatchObject({ status: 409, body: { pointer: '/decision' } });
    expect(await decide(id, { decision: 'INSPECTION_RESULT', result: 'NO_DISCREPANCY', reason: 'checked' })).toMatchObject({ status: 202 });
    expect((await api.until(id, finished)).status).toBe('RELEASED');
  });

  it('refuses any other decision on a declaration standing by, and selection for one already held', async () => {
    const id = await submit(cn1('STANDBY-3'));
    await api.until(id, (view) => view.status === 'STAND_BY');
    expect(await decide(id, { decision: 'REJECT' })).toMatchObject({ status: 409, body: { pointer: '/decision' } });
    expect(await decide(id, { decision: 'RELEASE' })).toMatchObject({ status: 202 });
    expect((await api.until(id, finished)).status).toBe('RELEASED');

    const held = await submit(cn1('STANDBY-4', 'KP'));
    await api.until(held, (view) => view.status === 'HELD');
    expect(await decide(held, { decision: 'SELECT_FOR_CONTROL', channel: 'RED' })).toMatchObject({ status: 409, body: { pointer: '/decision' } });
  });
});

describe('maximum hits without selection', () => {
  it('lets two unselected hits of a sampling profile through and selects the third', async () => {
    const screened = [];
    for (const lrn of ['CAP-JP-1', 'CAP-JP-2', 'CAP-JP-3']) {
      const id = await submit(cn1(lrn, 'JP'));
      const view = await api.until(id, (v) => v.channel !== undefined && v.status !== 'ACCEPTED');
      const screening = view.history.find((event: any) => event.type === 'RiskScreened').data;
      screened.push({ channel: screening.channel, outcomes: screening.sampleOutcomes });
    }
    expect(screened).toEqual([
      { channel: 'GREEN', outcomes: [{ profile: 'RP-SAMPLE-JP@1', selected: false, unselectedBefore: 0 }] },
      { channel: 'GREEN', outcomes: [{ profile: 'RP-SAMPLE-JP@1', selected: false, unselectedBefore: 1 }] },
      { channel: 'RED', outcomes: [{ profile: 'RP-SAMPLE-JP@1', selected: true, unselectedBefore: 2 }] },
    ]);
  });
});
