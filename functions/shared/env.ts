import { ENV } from '../../infra/app-model.js';

/**
 * Reads one of the app model's environment variables, failing loudly at first use when the
 * deployment forgot it (a Lambda without its table name is a deployment bug, not a 500 later).
 */
export function requireEnv(name: (typeof ENV)[keyof typeof ENV]): string {
  const value = process.env[name];
  if (!value) throw new Error(`Environment variable ${name} is not set`);
  return value;
}
