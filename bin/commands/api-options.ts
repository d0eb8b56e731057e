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
