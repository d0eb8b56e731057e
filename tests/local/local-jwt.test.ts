import { generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { LOCAL_AUDIENCE, LOCAL_ISSUER, LocalTokenIssuer, TokenRejected } from '../../infra/local/auth/jwt.js';

const NOW = Date.parse('2025-05-20T02:00:00Z');
const issuer = LocalTokenIssuer.generate();
const claims = { sub: 'broker@GB603202734852', scope: 'clearway/declarant', org: 'GB603202734852' };

/** Re-signs a modified token body with `key` (RS256). */
function forge(header: object, payload: object, key = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey): string {
  const input = `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
  return `${input}.${sign('RSA-SHA256', Buffer.from(input), key).toString('base64url')}`;
}

describe('the local identity provider (RS256 JWT, as API Gateway JWT authorizers require)', () => {
  it('signs a token whose claims and scopes verify', () => {
    const verified = issuer.verify(issuer.sign(claims, NOW), NOW + 1000);
    expect(verified.scopes).toEqual(['clearway/declarant']);
    expect(verified.claims).toMatchObject({ ...claims, iss: LOCAL_ISSUER, aud: LOCAL_AUDIENCE, iat: NOW / 1000, exp: NOW / 1000 + 8 * 3600 });
  });

  it('refuses an expired token and one not yet valid (exp, nbf)', () => {
    const token = issuer.sign(claims, NOW, 60);
    expect(() => issuer.verify(token, NOW + 60_000)).toThrow(TokenRejected);
    expect(() => issuer.verify(token, NOW - 1000)).toThrow(/not yet valid/);
  });

  it('refuses a token signed by another key, even with our key id', () => {
    const header = JSON.parse(Buffer.from(issuer.sign(claims, NOW).split('.')[0], 'base64url').toString());
    expect(() => issuer.verify(forge(header, { ...claims, iss: LOCAL_ISSUER, aud: LOCAL_AUDIENCE, exp: NOW / 1000 + 60 }), NOW)).toThrow(/signature/);
  });

  it('refuses alg "none" and a changed payload', () => {
    const [header, , signature] = issuer.sign(claims, NOW).split('.');
    const none = `${Buffer.from(JSON.stringify({ alg: 'none', kid: issuer.kid })).toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.`;
    expect(() => issuer.verify(none, NOW)).toThrow(/algorithm/);
    const promoted = Buffer.from(JSON.stringify({ ...claims, scope: 'clearway/admin', iss: LOCAL_ISSUER, aud: LOCAL_AUDIENCE, exp: NOW / 1000 + 60 })).toString('base64url');
    expect(() => issuer.verify(`${header}.${promoted}.${signature}`, NOW)).toThrow(/signature/);
  });

  it('refuses another issuer or audience', () => {
    const other = new LocalTokenIssuer((issuer as any).privateKey);
    const header = { alg: 'RS256', typ: 'JWT', kid: other.kid };
    const base = { ...claims, iat: NOW / 1000, exp: NOW / 1000 + 60 };
    expect(() => issuer.verify(forge(header, { ...base, iss: 'https://evil.example', aud: LOCAL_AUDIENCE }, (issuer as any).privateKey), NOW)).toThrow(/issuer/);
    expect(() => issuer.verify(forge(header, { ...base, iss: LOCAL_ISSUER, aud: 'other' }, (issuer as any).privateKey), NOW)).toThrow(/audience/);
  });

  it('refuses what is not a JWT at all', () => {
    expect(() => issuer.verify('not-a-token', NOW)).toThrow(TokenRejected);
    expect(() => issuer.verify('a.b.c', NOW)).toThrow(TokenRejected);
  });
});
