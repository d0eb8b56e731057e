import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { token as tokenCommand } from '../../bin/commands/token.js';
import { routes } from '../../infra/app-model.js';
import { VirtualClock } from '../../infra/local/clock.js';
import { startRuntime, type Runtime } from '../../infra/local/runtime.js';
import { ttIm001a } from '../support/declarations.js';
import { example, finished, startTestPlatform, type Api } from '../support/platform.js';

let runtime: Runtime;
let clock: VirtualClock;
let api: Api;

beforeAll(async () => {
  ({ runtime, clock, api } = await startTestPlatform('2024-02-22T09:00:00Z'));
});
afterAll(() => runtime?.stop());

const BROKER = 'GB603202734852';
const OTHER = 'GB553202734852';
const raw = (path: string, init: RequestInit = {}) =>
  fetch(`${runtime.apiUrl}${path}`, init).then(async (r) => ({ status: r.status, body: await r.json() }));

describe('access to the e-port (JWT on every route, roles from the app model)', () => {
  let id: string;

  it('declares the roles of every route once, in the app model', () => {
    for (const route of routes) expect(route.roles.length, `${route.method} ${route.path}`).toBeGreaterThan(0);
  });

  it('answers 401 without a bearer token, or with one it cannot verify, as API Gateway does', async () => {
    expect(await raw('/declarations/x')).toEqual({ status: 401, body: { message: 'Unauthorized' } });
    expect(await raw('/declarations/x', { headers: { authorization: 'Bearer not.a.token' } })).toEqual({ status: 401, body: { message: 'Unauthorized' } });
  });

  it('answers 403 to a token without one of the route\'s roles', async () => {
    const answer = await api.as({ role: 'officer' }).post('/declarations', ttIm001a());
    expect(answer).toMatchObject({ status: 403, body: { message: 'Forbidden' } });
    expect((await api.as({ role: 'admin' }).get('/work-items?queue=inspection')).status).toBe(403);
  });

  it('lets a declarant lodge only in its own organisation\'s name', async () => {
    const answer = await api.as({ role: 'declarant', org: OTHER }).post('/declarations', ttIm001a());
    expect(answer).toMatchObject({ status: 403, body: { code: 'Forbidden', pointer: '/declarant/id' } });
    const lodged = await api.as({ role: 'declarant', org: BROKER }).post('/declarations', ttIm001a());
    expect(lodged.status).toBe(202);
    id = lodged.body.id;
    await api.until(id, finished);
  });

  it('shows a declaration to its declarant, to officers and auditors, and to no other declarant (404, as if missing)', async () => {
    expect((await api.as({ role: 'declarant', org: BROKER }).get(`/declarations/${id}`)).status).toBe(200);
    expect((await api.as({ role: 'officer' }).get(`/declarations/${id}`)).status).toBe(200);
    expect((await api.as({ role: 'auditor' }).get(`/declarations/${id}`)).status).toBe(200);
    const foreign = await api.as({ role: 'declarant', org: OTHER }).get(`/declarations/${id}`);
    const missing = await api.as({ role: 'declarant', org: OTHER }).get('/declarations/00000000-0000-8000-8000-000000000000');
    expect(foreign.status).toBe(404);
    expect(foreign.body).toEqual({ ...missing.body, message: missing.body.message.replace('00000000-0000-8000-8000-000000000000', id) });
    const answer = { submittedBy: 'someone', documents: [{ type: 'N935', id: 'X' }] };
    expect((await api.as({ role: 'declarant', org: OTHER }).post(`/declarations/${id}/documents`, answer)).status).toBe(404);
  });

  it('keeps the screening and audit selection inside the customs: a declarant sees its channel and taxes, not why or whether it will be audited', async () => {
    const lodged = example('wco-dms/TT_IM001a/Step1_TT_IM001a.xml').replace(/<FunctionalReferenceID>[^<]*</, '<FunctionalReferenceID>TIPOFF-1<');
    const { id } = (await api.post('/declarations', lodged, 'application/xml')).body;
    const staff = await api.as({ role: 'officer' }).until(id, finished);
    const own = (await api.as({ role: 'declarant', org: 'GB603202734852' }).get(`/declarations/${id}`)).body;
    const types = (view: any) => view.history.map((event: any) => event.type);
    expect(types(staff)).toEqual(expect.arrayContaining(['RiskScreened', 'AuditSelectionMade']));
    expect(types(own)).not.toEqual(expect.arrayContaining(['RiskScreened']));
    expect(types(own)).not.toContain('AuditSelectionMade');
    expect(own).not.toHaveProperty('auditSelected');
    expect(own).toMatchObject({ channel: staff.channel, taxTotal: staff.taxTotal, status: 'RELEASED' });
  });

  it('lets the bank (or the customs cashier) confirm a payment, never the declarant itself', async () => {
    const lodged = example('wco-dms/TT_IM001a/Step1_TT_IM001a.xml').replace(/<FunctionalReferenceID>[^<]*</, '<FunctionalReferenceID>SELF-PAY-1<');
    const { id } = (await api.post('/declarations', lodged, 'application/xml')).body;
    const payment = { amount: '1.00', currency: 'GBP', reference: 'SELF-PAID' };
    expect((await api.as({ role: 'declarant', org: 'GB603202734852' }).post(`/declarations/${id}/payments`, payment)).status).toBe(403);
    expect((await api.as({ role: 'bank', sub: 'bank-1' }).post(`/declarations/${id}/payments`, payment)).status).not.toBe(403);
  });

  it('serves its OpenAPI 3.1 document to every role (and to no one without a token)', async () => {
    for (const role of ['declarant', 'officer', 'auditor', 'admin'] as const) {
      const answer = await api.as({ role, org: role === 'declarant' ? BROKER : undefined }).get('/openapi.json');
      expect(answer.status).toBe(200);
      expect(answer.body.openapi).toBe('3.1.0');
      expect(Object.keys(answer.body.paths)).toEqual(expect.arrayContaining(['/declarations', '/declarations/{id}/amendments', '/notifications']));
    }
    expect((await raw('/openapi.json')).status).toBe(401);
  });

  it('refuses a token once it has expired', async () => {
    const early = runtime.token({ role: 'officer' });
    clock.advance(9 * 3600 * 1000);
    expect((await raw(`/declarations/${id}`, { headers: { authorization: `Bearer ${early}` } })).status).toBe(401);
  });
});

describe('clearway token', () => {
  it('prints a token that `npm start` on the same data directory accepts (one local key, no network)', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'clearway-token-'));
    const clock = new VirtualClock({ start: Date.parse('2025-01-02T00:00:00Z'), autoAdvance: false });
    const printed: string[] = [];
    try {
      const local = await startRuntime({ dataDir, apiPort: 0, endpointPort: 0, clock });
      try {
        expect(await tokenCommand(['--role', 'auditor', '--data-dir', dataDir], { out: (t) => printed.push(t), now: () => clock.now() })).toBe(0);
        const answer = await fetch(`${local.apiUrl}/work-items?queue=inspection`, { headers: { authorization: `Bearer ${printed[0]}` } });
        expect(answer.status).toBe(200);
      } finally {
        await local.stop();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('refuses to sign for a data directory no platform has run on: its tokens would be accepted nowhere', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'clearway-token-'));
    const printed: string[] = [];
    try {
      expect(await tokenCommand(['--role', 'auditor', '--data-dir', empty], { out: (t) => printed.push(t), now: () => 0 })).toBe(2);
      expect(printed.join('\n')).toMatch(/No platform keeps its data in .*start it there with npm start/);
      expect(existsSync(join(empty, 'auth'))).toBe(false);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('refuses a declarant token without an organisation, and an unknown role', async () => {
    const printed: string[] = [];
    const io = { out: (t: string) => printed.push(t), now: () => 0 };
    expect(await tokenCommand(['--role', 'declarant'], io)).toBe(2);
    expect(await tokenCommand(['--role', 'superuser'], io)).toBe(2);
    expect(printed.join('\n')).toMatch(/usage: clearway token/);
  });
});
