/**
 * Client mistakes in the path answer 4xx, never 500 (QA findings): a malformed percent-encoding
 * is a bad request, as at the gateway; an identifier longer than any the platform gives names
 * nothing, on every route that takes one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../infra/local/runtime.js';
import { exampleJson, startTestPlatform, type Api } from '../support/platform.js';

let runtime: Runtime;
let api: Api;

beforeAll(async () => {
  ({ runtime, api } = await startTestPlatform('2025-05-20T02:00:00Z'));
});
afterAll(() => runtime?.stop());

describe('identifiers in the path', () => {
  it('answers a malformed percent-encoding 400', async () => {
    expect(await api.get('/declarations/%E0%A4%A')).toMatchObject({ status: 400, body: { message: 'Bad Request' } });
    expect(await api.get('/declarations/%ZZ')).toMatchObject({ status: 400 });
  });

  it('answers an over-long identifier 404 NotFound with its pointer, on reads and writes alike', async () => {
    const long = 'x'.repeat(3000);
    expect(await api.get(`/declarations/${long}`)).toMatchObject({ status: 404, body: { code: 'NotFound', pointer: '/id' } });
    const paid = await api.post(`/declarations/${long}/payments`, { amount: '1.00', currency: 'CNY', reference: 'R-1' });
    expect(paid).toMatchObject({ status: 404, body: { code: 'NotFound', pointer: '/id' } });
  });
});

describe('request bodies: one answer for one mistake, on every route that reads JSON', () => {
  const routes = ['amendments', 'cancellation', 'decisions', 'payments'];
  let id: string;
  beforeAll(async () => {
    id = (await api.post('/declarations', { ...exampleJson('cn/CN-1.json'), lrn: 'HTTP-EDGES-1' })).body.id;
  });

  it.each(routes)('answers malformed JSON on /%s 400 CWY-JSON-001, pointing at the whole body, as a submission is answered', async (route) => {
    const answer = await api.post(`/declarations/${id}/${route}`, '{"reason": ');
    expect(answer).toMatchObject({ status: 400, body: { code: 'CWY-JSON-001', pointer: '', errors: [{ code: 'CWY-JSON-001', pointer: '' }] } });
    expect(await api.post('/declarations', '{"lrn": ')).toMatchObject({ status: 400, body: { code: 'CWY-JSON-001', pointer: '' } });
  });

  it.each([
    ['amendments', 'CWY-MEDIA-001'],
    ['cancellation', 'CWY-MEDIA-001'],
    ['decisions', 'CWY-MEDIA-002'],
    ['payments', 'CWY-MEDIA-002'],
  ])('answers a body that is neither of the types /%s reads 415 %s (additional messages come as JSON or WCO XML)', async (route, code) => {
    const answer = await api.post(`/declarations/${id}/${route}`, JSON.stringify({ reason: 'x' }), 'text/plain');
    expect(answer).toMatchObject({ status: 415, body: { code, pointer: '' } });
  });

  it('points a body of the wrong shape at the whole body (""), and an unknown member at itself', async () => {
    for (const body of ['[]', 'null', '42']) {
      expect(await api.post(`/declarations/${id}/payments`, body)).toMatchObject({ status: 422, body: { code: 'CWY-REQ-001', pointer: '' } });
      expect(await api.post('/declarations', body)).toMatchObject({ status: 422, body: { code: 'CWY-SCHEMA-002', pointer: '' } });
    }
    const extra = await api.post(`/declarations/${id}/payments`, { amount: '1.00', currency: 'CNY', reference: 'R-1', extra: 1 });
    expect(extra).toMatchObject({ status: 422, body: { code: 'CWY-REQ-001', pointer: '/extra', message: '/extra: Unrecognized key: "extra"' } });
  });

  it('leaves the declaration as it was', async () => {
    const view = (await api.get(`/declarations/${id}`)).body;
    expect(view).toMatchObject({ version: 1 });
    expect(view.history.map((e: any) => e.type)).not.toContain('AmendmentRequested');
  });
});
