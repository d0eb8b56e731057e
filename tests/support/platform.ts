import { readFileSync } from 'node:fs';
import { routes, type Role, type RouteModel } from '../../infra/app-model.js';
import { readSubmission } from '../../functions/domain/declaration/index.js';
import { VirtualClock } from '../../infra/local/clock.js';
import { startRuntime, type LocalPrincipal, type Runtime } from '../../infra/local/runtime.js';

/** A platform for one test file: in memory, free ports, a clock that moves only when told. */
export async function startTestPlatform(start: string): Promise<{ runtime: Runtime; clock: VirtualClock; api: Api }> {
  const clock = new VirtualClock({ start: Date.parse(start), autoAdvance: false });
  const runtime = await startRuntime({ dataDir: null, apiPort: 0, endpointPort: 0, clock });
  return { runtime, clock, api: new Api(runtime.apiUrl, runtime.token) };
}

export const example = (path: string) => readFileSync(`examples/${path}`, 'utf8');
export const exampleJson = (path: string) => JSON.parse(example(path));

/** Roles a test calls with when a route admits more than the declarant, most able first. */
const STAFF_PREFERENCE: Role[] = ['officer', 'admin', 'auditor'];

/**
 * The e-port as a client sees it, with a fresh bearer token on every request (the virtual clock
 * moves by days in some tests, past any token's expiry). Unless told who it is (`as`), it calls
 * as the route's staff role, or — on a declarant-only route — as the declarant that lodged the
 * declaration (the body's declarant on `POST /declarations`).
 */
export class Api {
  constructor(
    readonly baseUrl: string,
    private readonly issueToken: (principal: LocalPrincipal) => string,
    private readonly principal?: LocalPrincipal,
  ) {}

  /** The same API, calling as `principal` on every route. */
  as(principal: LocalPrincipal): Api {
    return new Api(this.baseUrl, this.issueToken, principal);
  }

  /** A bearer token for `principal` (for clients other than this one, e.g. the CLI). */
  token(principal: LocalPrincipal): string {
    return this.issueToken(principal);
  }

  async post(path: string, body: unknown, contentType = 'application/json', headers: Record<string, string> = {}) {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    return this.request('POST', path, { 'content-type': contentType, ...headers }, text);
  }

  async get(path: string) {
    return this.request('GET', path, {});
  }

  async put(path: string, body: unknown) {
    return this.request('PUT', path, { 'content-type': 'application/json' }, JSON.stringify(body));
  }

  async delete(path: string) {
    return this.request('DELETE', path, {});
  }

  /** Polls a declaration until `done` holds for its view (the workflow runs asynchronously). */
  async until(id: string, done: (view: any) => boolean, polls = 1000): Promise<any> {
    let view: any;
    for (let i = 0; i < polls; i++) {
      view = (await this.get(`/declarations/${id}`)).body;
      if (done(view)) return view;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    throw new Error(`Declaration ${id} never reached the expected state; last: ${JSON.stringify({ status: view?.status, history: view?.history?.map((h: any) => h.type) })}`);
  }

  private async request(method: RouteModel['method'], path: string, headers: Record<string, string>, body?: string) {
    const principal = this.principal ?? (await this.callerFor(method, path, headers['content-type'], body));
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: { ...headers, authorization: `Bearer ${this.issueToken(principal)}` },
      body,
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: (text ? JSON.parse(text) : undefined) as any };
  }

  private async callerFor(method: string, path: string, contentType = '', body?: string): Promise<LocalPrincipal> {
    const route = routeOf(method, path);
    const staff = STAFF_PREFERENCE.find((role) => route?.roles.includes(role));
    if (staff) return { role: staff };
    if (method === 'POST' && path === '/declarations') return { role: 'declarant', org: declarantOf(body ?? '', contentType) };
    const id = path.match(/^\/declarations\/([^/]+)/)?.[1];
    const view = id ? (await this.as({ role: 'officer' }).get(`/declarations/${id}`)).body : undefined;
    return { role: 'declarant', org: view?.declaration?.declarant?.id ?? 'unknown' };
  }
}

function routeOf(method: string, path: string): RouteModel | undefined {
  const bare = path.split('?')[0];
  return routes.find((route) => route.method === method && new RegExp(`^${route.path.replace(/\{[^}]+\}/g, '[^/]+')}$`).test(bare));
}

/** The declarant a submission names (so a test lodges it as that organisation); `unknown` when unreadable. */
function declarantOf(body: string, contentType: string): string {
  try {
    return readSubmission(body, contentType).declaration.declarant.id;
  } catch {
    try {
      return JSON.parse(body)?.declarant?.id ?? 'unknown';
    } catch {
      return body.match(/<Declarant>\s*<ID>([^<]+)<\/ID>/)?.[1] ?? 'unknown';
    }
  }
}

/** Terminal for the lifecycle: released (after audit selection), rejected, seized, cancelled or failed. */
export const finished = (view: any) =>
  (view.status === 'RELEASED' && view.auditSelected !== undefined) || ['REJECTED', 'SEIZED', 'CANCELLED', 'FAILED'].includes(view.status);
