/**
 * Client mistakes in the path answer 4xx, never 500 (QA findings): a malformed percent-encoding
 * is a bad request, as at the gateway; an identifier longer than any the platform gives names
 * nothing, on every route that takes one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../infra/local/runtime.js';
import { startTestPlatform, type Api } from '../support/platform.js';

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
