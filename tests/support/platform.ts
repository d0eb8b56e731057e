import { readFileSync } from 'node:fs';
import { VirtualClock } from '../../infra/local/clock.js';
import { startRuntime, type Runtime } from '../../infra/local/runtime.js';

/** A platform for one test file: in memory, free ports, a clock that moves only when told. */
export async function startTestPlatform(start: string): Promise<{ runtime: Runtime; clock: VirtualClock; api: Api }> {
  const clock = new VirtualClock({ start: Date.parse(start), autoAdvance: false });
  const runtime = await startRuntime({ dataDir: null, apiPort: 0, endpointPort: 0, clock });
  return { runtime, clock, api: new Api(runtime.apiUrl) };
}

export const example = (path: string) => readFileSync(`examples/${path}`, 'utf8');
export const exampleJson = (path: string) => JSON.parse(example(path));

/** The e-port as a client sees it. */
export class Api {
  constructor(readonly baseUrl: string) {}

  async post(path: string, body: unknown, contentType = 'application/json') {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': contentType },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as any };
  }

  async get(path: string) {
    const response = await fetch(`${this.baseUrl}${path}`);
    return { status: response.status, body: (await response.json()) as any };
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
}

/** Terminal for the lifecycle: released (after audit selection), rejected, seized or failed. */
export const finished = (view: any) =>
  (view.status === 'RELEASED' && view.auditSelected !== undefined) || ['REJECTED', 'SEIZED', 'FAILED'].includes(view.status);
