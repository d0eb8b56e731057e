import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ROLES, type Role } from '../../infra/app-model.js';
import { LocalTokenIssuer } from '../../infra/local/auth/jwt.js';
import { platformNow } from '../../infra/local/clock.js';
import { issueLocalToken } from '../../infra/local/runtime.js';

const USAGE = `usage: clearway token --role ${ROLES.join('|')} [--role …] [--org ID] [--sub NAME] [--ttl SECONDS] [--data-dir DIR]
  prints a bearer token for the local platform (npm start), signed with the key in DIR/auth
  (default $CLEARWAY_DATA_DIR or .clearway); a declarant needs --org (its EORI or USCC).`;

/**
 * `clearway token --role declarant --org GB603202734852`: a bearer token the local API accepts,
 * signed with the local key — no network, no identity provider. Use it as
 * `curl -H "authorization: Bearer $(npx clearway token --role officer)" …`.
 */
export async function token(args: string[], io: { out: (text: string) => void; now?: () => number } = { out: console.log }): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        role: { type: 'string', multiple: true },
        org: { type: 'string' },
        sub: { type: 'string' },
        ttl: { type: 'string', default: String(8 * 3600) },
        'data-dir': { type: 'string', default: process.env.CLEARWAY_DATA_DIR ?? '.clearway' },
      },
    }));
  } catch (error) {
    io.out(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const roles = values.role ?? [];
  const unknown = roles.filter((role) => !(ROLES as readonly string[]).includes(role));
  const ttl = Number(values.ttl);
  if (!roles.length || unknown.length || (roles.includes('declarant') && !values.org) || !Number.isInteger(ttl) || ttl <= 0) {
    io.out(USAGE);
    return 2;
  }
  const dataDir = resolve(values['data-dir']);
  let issuer: LocalTokenIssuer;
  try {
    issuer = LocalTokenIssuer.ofPlatform(dataDir);
  } catch (error) {
    io.out((error as Error).message);
    return 2;
  }
  // Valid on the platform's clock, which may run as of another date (CLEARWAY_CLOCK_START).
  const now = io.now?.() ?? platformNow(dataDir);
  io.out(issueLocalToken(issuer, { role: roles as Role[], org: values.org, sub: values.sub }, now, ttl));
  return 0;
}
