/**
 * Whether work on `version` of a declaration may still be recorded: the declaration is at that
 * version, and no cancellation ended it (a cancellation supersedes the running version without
 * making a new one, so the version number alone does not tell).
 */
export function isCurrentVersion(declaration: { version: number; status: string }, version: number): boolean {
  return declaration.version === version && declaration.status !== 'CANCELLED';
}
