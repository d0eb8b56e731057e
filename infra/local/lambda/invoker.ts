import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import type { FunctionModel } from '../../app-model.js';

type Handler = (event: unknown, context: Context) => Promise<unknown>;

/** Per-function counts the benchmark reads (invocations and their summed duration). */
export interface InvocationStats {
  invocations: number;
  errors: number;
  totalMs: number;
  /** Duration as Lambda bills it: each invocation rounded up to the millisecond. */
  billedMs: number;
}

/**
 * Runs the app model's handler modules in-process, as Lambda would: the event is a JSON copy
 * (nothing shared by reference with the caller), the context is a real Lambda context
 * (request id, remaining time, function name), and modules are loaded once (warm container).
 */
export class LocalLambda {
  private readonly handlers = new Map<string, Promise<Handler>>();
  private readonly inFlight = new Set<Promise<unknown>>();
  readonly stats = new Map<string, InvocationStats>();

  constructor(
    private readonly functions: Record<string, FunctionModel>,
    private readonly arnOf: (name: string) => string,
    private readonly rootDir: string,
  ) {}

  /** Resolves a function name, or an ARN as Step Functions passes it, to a model function name. */
  resolveName(nameOrArn: string): string {
    const name = nameOrArn.startsWith('arn:') ? nameOrArn.split(':')[6] : nameOrArn;
    const modelName = Object.keys(this.functions).find((key) => key === name || this.arnOf(key) === nameOrArn || physical(key) === name);
    if (!modelName) throw Object.assign(new Error(`Function not found: ${nameOrArn}`), { name: 'ResourceNotFoundException' });
    return modelName;
  }

  /** Invokes a function with a JSON payload; its thrown error propagates with its `name` (errorType). */
  invoke(nameOrArn: string, payload: unknown): Promise<unknown> {
    const invocation = this.run(nameOrArn, payload);
    this.inFlight.add(invocation);
    const settled = () => this.inFlight.delete(invocation);
    invocation.then(settled, settled);
    return invocation;
  }

  /**
   * Resolves once no invocation is running — including those started meanwhile (an event a
   * function publishes invokes its rule's target) — so the runtime can close its data safely.
   */
  async settle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private async run(nameOrArn: string, payload: unknown): Promise<unknown> {
    const name = this.resolveName(nameOrArn);
    const model = this.functions[name];
    const handler = await this.load(name, model);
    const started = performance.now();
    const stats = this.statsOf(name);
    stats.invocations += 1;
    try {
      const result = await handler(structuredJson(payload), createContext(physical(name), this.arnOf(name), model));
      return result === undefined ? null : structuredJson(result);
    } catch (error) {
      stats.errors += 1;
      throw error;
    } finally {
      const ms = performance.now() - started;
      stats.totalMs += ms;
      stats.billedMs += Math.ceil(ms);
    }
  }

  private load(name: string, model: FunctionModel): Promise<Handler> {
    let handler = this.handlers.get(name);
    if (!handler) {
      handler = import(pathToFileURL(resolve(this.rootDir, model.entry)).href).then((module) => {
        if (typeof module.handler !== 'function') throw new Error(`${model.entry} exports no handler`);
        return module.handler as Handler;
      });
      this.handlers.set(name, handler);
    }
    return handler;
  }

  private statsOf(name: string): InvocationStats {
    let stats = this.stats.get(name);
    if (!stats) this.stats.set(name, (stats = { invocations: 0, errors: 0, totalMs: 0, billedMs: 0 }));
    return stats;
  }
}

/** The physical function name, as CDK would name it per stage (`clearway-<name>` locally). */
export const physical = (name: string) => `clearway-${name}`;

/** Lambda hands a handler a deserialised copy of the JSON it was invoked with. */
function structuredJson(value: unknown): unknown {
  return value === undefined ? undefined : JSON.parse(JSON.stringify(value));
}

function createContext(functionName: string, arn: string, model: FunctionModel): Context {
  const deadline = Date.now() + model.timeoutSeconds * 1000;
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: arn,
    memoryLimitInMB: String(model.memoryMb),
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `local/[$LATEST]${randomUUID().replaceAll('-', '')}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
