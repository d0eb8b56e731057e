import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { ROLES, routes, scopeOf, type Role, type RouteModel } from '../../infra/app-model.js';
import { ForbiddenError, NotFoundError, UnauthorizedError } from '../domain/errors.js';

/** The caller as the JWT authorizer verified it. */
export interface Principal {
  /** The token's subject (a user or a client). */
  subject: string;
  roles: Role[];
  /** The organisation a declarant acts for (its EORI or unified social credit code). */
  org?: string;
}

/** What API Gateway (payload v2) and the local API put in `requestContext.authorizer` after a JWT authorizer. */
interface JwtAuthorizerContext {
  jwt?: { claims?: Record<string, string | number | boolean | string[]>; scopes?: string[] | null };
}

const ROUTES_BY_KEY = new Map<string, RouteModel>(routes.map((route) => [`${route.method} ${route.path}`, route]));

/**
 * The caller of `event`, allowed on its route. The gateway already checked the token and the
 * route's scopes; this checks again from the same app model, so a route deployed without an
 * authorizer (dev stage without an issuer) refuses every request instead of serving it anonymously.
 * @throws UnauthorizedError (401) without verified claims; ForbiddenError (403) without one of the route's roles
 */
export function authorizeRequest(event: APIGatewayProxyEventV2): Principal {
  const jwt = (event.requestContext as { authorizer?: JwtAuthorizerContext }).authorizer?.jwt;
  const claims = jwt?.claims;
  if (!claims || typeof claims.sub !== 'string') throw new UnauthorizedError('A bearer token is required');
  const scopes = jwt.scopes ?? String(claims.scope ?? claims.scp ?? '').split(' ');
  const roles = ROLES.filter((role) => scopes.includes(scopeOf(role)));
  const route = ROUTES_BY_KEY.get(event.routeKey);
  if (!route || !route.roles.some((role) => roles.includes(role))) {
    throw new ForbiddenError(`${event.routeKey} is not open to the roles ${roles.join(', ') || '(none)'}`);
  }
  const org = typeof claims.org === 'string' && claims.org ? claims.org : undefined;
  if (roles.includes('declarant') && roles.length === 1 && !org) throw new ForbiddenError('A declarant token must name its organisation (org)');
  return { subject: claims.sub, roles, ...(org ? { org } : {}) };
}

/** A declarant acting only as a declarant: sees its own organisation's declarations and nothing else. */
export function isDeclarantOnly(principal: Principal): boolean {
  return principal.roles.every((role) => role === 'declarant');
}

/**
 * Lets `principal` see the declaration of trader `traderId`: officers, auditors and admins see
 * every declaration; a declarant only its own organisation's. Another organisation's declaration
 * answers exactly like a missing one (404, not 403), so ids cannot be probed.
 * @throws NotFoundError
 */
export function assertVisible(principal: Principal, declarationId: string, traderId: string | undefined): void {
  if (traderId === undefined || (isDeclarantOnly(principal) && principal.org !== traderId)) {
    throw new NotFoundError(`Declaration ${declarationId} does not exist`, '/id');
  }
}
