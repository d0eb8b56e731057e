/**
 * What every command that calls the e-port takes: where it is (`--url`, default
 * `$CLEARWAY_API_URL`, else the local platform on `$PORT` as `npm start` uses it) and whose
 * bearer token to call with (`--token`, default `$CLEARWAY_TOKEN`, e.g. from
 * `clearway token --role auditor`).
 */
export const API_OPTIONS = {
  url: { type: 'string', default: process.env.CLEARWAY_API_URL ?? `http://127.0.0.1:${process.env.PORT ?? 3000}` },
  token: { type: 'string', default: process.env.CLEARWAY_TOKEN },
} as const;

/** The Authorization header of `token`, if any. */
export const bearer = (token: string | undefined): Record<string, string> => (token ? { authorization: `Bearer ${token}` } : {});

/**
 * What a command prints when the platform refused it; a 401 says how to get a token, which is
 * what a first call without one (or with one from another data directory) runs into.
 */
export function refusal(status: number, body: unknown): string {
  const text = `error ${status}: ${JSON.stringify(body)}`;
  if (status !== 401) return text;
  return `${text}\n  no valid token: pass --token, or set CLEARWAY_TOKEN, e.g.\n  export CLEARWAY_TOKEN=$(npx clearway token --role auditor [--data-dir <the platform's data directory>])`;
}
