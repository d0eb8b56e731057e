/**
 * Runs one measured benchmark run in a child process of its own, so every run starts from a cold,
 * empty process (its RSS is its own) and can be profiled alone. Progress comes back over IPC.
 */
import { fork } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import type { ChildMessage } from './measure.js';

export interface ChildOptions {
  /** Write a V8 CPU profile of the run into this directory. */
  cpuProfileDir?: string;
  onProgress?: (done: number, total: number) => void;
}

/** Runs `script` with a JSON spec; resolves with the result it sends. */
export function runChild<T>(script: string, spec: unknown, options: ChildOptions = {}): Promise<T> {
  const execArgv = ['--import', 'tsx', '--expose-gc'];
  if (options.cpuProfileDir) {
    mkdirSync(options.cpuProfileDir, { recursive: true });
    execArgv.push('--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`);
  }
  return new Promise((resolve, reject) => {
    let result: T | undefined;
    const child = fork(script, [JSON.stringify(spec)], { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.on('message', (message: ChildMessage) => {
      if (message.type === 'progress') options.onProgress?.(message.done, message.total);
      else result = message.result as T;
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code === 0 && result !== undefined) resolve(result);
      else reject(new Error(`${script} exited with code ${code}${result === undefined ? ' and no result' : ''}`));
    });
  });
}
