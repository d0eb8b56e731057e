/** The Authorization header of a bearer token (none without one: the API then answers 401). */
export function bearer(token: string | undefined): Record<string, string> {
  return token ? { authorization: `Bearer ${token}` } : {};
}
