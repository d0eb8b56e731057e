import { createPrivateKey, createPublicKey, createHash, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The local identity provider: RS256 JSON Web Tokens signed with a key of this machine (no
 * network). API Gateway's JWT authorizer accepts only RSA-signed tokens and checks `kid`, `iss`,
 * `aud`, `exp`, `nbf` and the route's scopes (`scope` or `scp`); the local API checks the same,
 * so a token that passes here has the shape a production identity provider must issue.
 */

/** Issuer and audience of local tokens (the prod ones come from CDK context). */
export const LOCAL_ISSUER = 'urn:clearway:local';
export const LOCAL_AUDIENCE = 'clearway';

/** The claims Clearway reads: who (`sub`), which roles (`scope`), for which organisation (`org`). */
export interface TokenClaims {
  sub: string;
  /** Space-separated OAuth scopes, e.g. `clearway/declarant` (RFC 6749 §3.3). */
  scope: string;
  /** The organisation a declarant acts for: its EORI or unified social credit code. */
  org?: string;
}

export interface VerifiedToken {
  claims: Record<string, unknown>;
  scopes: string[];
}

/** Why a token was refused; the local API answers 401 like API Gateway, whatever the reason. */
export class TokenRejected extends Error {
  override readonly name = 'TokenRejected';
}

/** A signing key pair with its RFC 7638 thumbprint as key id. */
export class LocalTokenIssuer {
  readonly kid: string;
  private readonly publicKey: KeyObject;

  constructor(private readonly privateKey: KeyObject) {
    this.publicKey = createPublicKey(privateKey);
    const { e, kty, n } = this.publicKey.export({ format: 'jwk' }) as { e: string; kty: string; n: string };
    // RFC 7638: SHA-256 over the required members in lexicographic order, no whitespace.
    this.kid = createHash('sha256').update(JSON.stringify({ e, kty, n })).digest('base64url');
  }

  /** A fresh in-memory key (tests, the demo). */
  static generate(): LocalTokenIssuer {
    return new LocalTokenIssuer(generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey);
  }

  /**
   * The key kept in `<dataDir>/auth/signing-key.pem`, created (readable by the owner only) on
   * first use, so `npm start` and `clearway token` sign and verify with the same key.
   */
  static fromDataDir(dataDir: string): LocalTokenIssuer {
    const file = join(dataDir, 'auth', 'signing-key.pem');
    if (!existsSync(file)) {
      mkdirSync(dirname(file), { recursive: true });
      const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      try {
        // 'wx': two processes starting at once keep the first key written.
        writeFileSync(file, privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600, flag: 'wx' });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
    }
    return new LocalTokenIssuer(createPrivateKey(readFileSync(file)));
  }

  /**
   * The key of a platform that has run on `dataDir` (`npm start` made it), for tools that sign
   * tokens it must accept. A key minted anywhere else would sign tokens no platform accepts.
   * @throws Error when the directory holds no platform's key
   */
  static ofPlatform(dataDir: string): LocalTokenIssuer {
    if (!existsSync(join(dataDir, 'auth', 'signing-key.pem'))) {
      throw new Error(`No platform keeps its data in ${dataDir} (no auth/signing-key.pem): start it there with npm start, or name its data directory with --data-dir or CLEARWAY_DATA_DIR`);
    }
    return LocalTokenIssuer.fromDataDir(dataDir);
  }

  /** Signs `claims`, valid from `nowMs` for `ttlSeconds`. */
  sign(claims: TokenClaims, nowMs: number, ttlSeconds = 8 * 3600): string {
    const now = Math.floor(nowMs / 1000);
    const header = { alg: 'RS256', typ: 'JWT', kid: this.kid };
    const payload = { iss: LOCAL_ISSUER, aud: LOCAL_AUDIENCE, iat: now, nbf: now, exp: now + ttlSeconds, ...claims };
    const input = `${base64url(header)}.${base64url(payload)}`;
    return `${input}.${sign('RSA-SHA256', Buffer.from(input), this.privateKey).toString('base64url')}`;
  }

  /**
   * Verifies a bearer token as API Gateway's JWT authorizer does (header `kid` and `alg`,
   * signature, `iss`, `aud`, `exp`, `nbf`) at `nowMs`.
   * @throws TokenRejected naming the first check that failed
   */
  verify(token: string, nowMs: number): VerifiedToken {
    const parts = token.split('.');
    if (parts.length !== 3) throw new TokenRejected('not a JWS compact serialization');
    const header = decodePart(parts[0]);
    // Only RS256 with our key id: no "none", no HMAC with the public key as secret.
    if (header.alg !== 'RS256' || header.kid !== this.kid) throw new TokenRejected('unknown key or algorithm');
    const signed = verify('RSA-SHA256', Buffer.from(`${parts[0]}.${parts[1]}`), this.publicKey, Buffer.from(parts[2], 'base64url'));
    if (!signed) throw new TokenRejected('bad signature');
    const claims = decodePart(parts[1]);
    const now = nowMs / 1000;
    const audience = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    if (claims.iss !== LOCAL_ISSUER) throw new TokenRejected('wrong issuer');
    if (!audience.includes(LOCAL_AUDIENCE)) throw new TokenRejected('wrong audience');
    if (typeof claims.exp !== 'number' || claims.exp <= now) throw new TokenRejected('expired');
    if (typeof claims.nbf === 'number' && claims.nbf > now) throw new TokenRejected('not yet valid');
    const scope = typeof claims.scope === 'string' ? claims.scope : typeof claims.scp === 'string' ? claims.scp : '';
    return { claims, scopes: scope.split(' ').filter(Boolean) };
  }
}

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function decodePart(part: string): Record<string, any> {
  try {
    const value = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    if (value && typeof value === 'object' && !Array.isArray(value)) return value;
  } catch {
    // fall through
  }
  throw new TokenRejected('undecodable token');
}
