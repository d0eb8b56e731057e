/**
 * Risk profile administration over HTTP (issue 6): draft → approve by someone else → in force
 * from its date, beside every other profile in force. Author and approver are the callers the
 * tokens authenticate.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../infra/local/runtime.js';
import { example, finished, startTestPlatform, type Api } from '../support/platform.js';

let runtime: Runtime;
let api: Api;

beforeAll(async () => {
  ({ runtime, api } = await startTestPlatform('2024-02-22T09:00:00Z'));
});
afterAll(() => runtime?.stop());

const shavers = {
  id: 'RP-GB-SHAVER-PARTS', author: 'analyst:a', rationale: 'shaver parts from the US are often undervalued', validFrom: '2024-02-22',
  scope: { jurisdictions: ['GB'] }, criteria: [{ type: 'hsCode', prefixes: ['8510'] }], channel: 'RED', weight: 40,
};

const analyst = () => api.as({ role: 'admin', sub: 'analyst:a' });
const head = (sub = 'head:b') => api.as({ role: 'admin', sub });

describe('risk profile administration', () => {
  it('drafts version 1, and answers the same draft sent again', async () => {
    expect(await analyst().post('/risk/profiles', shavers)).toMatchObject({ status: 201, body: { status: 'DRAFT', profile: { id: shavers.id, version: 1 } } });
    expect(await analyst().post('/risk/profiles', shavers)).toMatchObject({ status: 200, body: { profile: { version: 1 } } });
  });

  it('refuses a draft in someone else\'s name', async () => {
    expect(await head().post('/risk/profiles', shavers)).toMatchObject({ status: 403, body: { code: 'Forbidden', pointer: '/author' } });
  });

  it('refuses an invalid draft with a pointer and stores nothing', async () => {
    const answer = await analyst().post('/risk/profiles', { ...shavers, id: 'rp-lower', channel: 'PURPLE' });
    expect(answer.status).toBe(422);
    expect(answer.body.errors.map((e: any) => e.pointer)).toEqual(expect.arrayContaining(['/id', '/channel']));
  });

  it('refuses approval by the author (four eyes), or in another name than the caller\'s, then approves by someone else', async () => {
    const own = await analyst().post(`/risk/profiles/${shavers.id}/versions/1/approve`, { approver: 'analyst:a' });
    expect(own).toMatchObject({ status: 403, body: { code: 'Forbidden' } });
    const spoofed = await analyst().post(`/risk/profiles/${shavers.id}/versions/1/approve`, { approver: 'head:b' });
    expect(spoofed).toMatchObject({ status: 403, body: { code: 'Forbidden', pointer: '/approver' } });
    const approved = await head().post(`/risk/profiles/${shavers.id}/versions/1/approve`, { approver: 'head:b' });
    expect(approved).toMatchObject({ status: 200, body: { status: 'APPROVED', profile: { approver: 'head:b' } } });
  });

  it('never edits an approved version', async () => {
    const again = await head('head:c').post(`/risk/profiles/${shavers.id}/versions/1/approve`, { approver: 'head:c' });
    expect(again).toMatchObject({ status: 409, body: { code: 'Conflict' } });
    expect(await head('head:c').post(`/risk/profiles/${shavers.id}/versions/9/approve`, { approver: 'head:c' })).toMatchObject({ status: 404 });
  });

  it('numbers a draft of a reference-data profile after its reference-data version', async () => {
    const arms = { id: 'RP-HS93-ARMS', author: 'analyst:a', rationale: 'arms: inspect', validFrom: '2024-03-01', criteria: [{ type: 'hsCode', prefixes: ['93'] }], channel: 'RED', weight: 100 };
    expect(await analyst().post('/risk/profiles', arms)).toMatchObject({ status: 201, body: { profile: { id: 'RP-HS93-ARMS', version: 2 } } });
  });

  it('screens with the approved version beside every other profile in force', async () => {
    const { id } = (await api.post('/declarations', example('wco-dms/TT_IM001a/Step1_TT_IM001a.xml'), 'application/xml')).body;
    const view = await api.until(id, (v) => v.status === 'HELD' || finished(v));
    expect(view.channel).toBe('RED');
    const screening = view.history.find((e: any) => e.type === 'RiskScreened').data;
    expect(screening.hits.map((h: any) => `${h.profileId}@${h.version}`)).toEqual(['RP-GB-SHAVER-PARTS@1']);
    // Approving one profile switched none of the others off, the random control group included.
    expect(screening.evaluated).toEqual(expect.arrayContaining(['RP-GB-SHAVER-PARTS@1', 'RP-HS93-ARMS@1', 'RP-ORIGIN-KP@1', 'RP-RANDOM@1']));
  });
});
