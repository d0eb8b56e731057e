import { createHash } from 'node:crypto';
import type { DeclarationView } from '../ports/declaration-store.js';
import { chainAnchors } from './dependencies.js';

/**
 * Anchors a declaration's chain head (as the view returned by an append knows it) outside the
 * table, keeping the archive digests the previous anchor carried.
 */
export async function anchorHead(view: Pick<DeclarationView, 'id' | 'headSeq' | 'headHash'>, at: string, archives: Record<string, string> = {}): Promise<void> {
  const previous = await chainAnchors().latest(view.id);
  await chainAnchors().anchor([{
    declarationId: view.id,
    seq: view.headSeq,
    hash: view.headHash,
    anchoredAt: at,
    archives: { ...(previous?.archives ?? {}), ...archives },
  }]);
}

/** The SHA-256 over an execution's archived history pages, in order (what the export anchors). */
export function archiveDigest(pages: string[]): string {
  const digest = createHash('sha256');
  for (const text of pages) digest.update(text);
  return digest.digest('hex');
}
