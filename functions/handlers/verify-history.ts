import { NotFoundError } from '../domain/errors.js';
import { verifyChain } from '../domain/history/index.js';
import { archiveDigest } from '../shared/anchor.js';
import { chainAnchors, declarationStore, executionArchive } from '../shared/dependencies.js';
import { httpHandler, json } from '../shared/middy.js';

/**
 * GET /declarations/{id}/history/verify (auditor): recomputes the declaration's hash chain from
 * the stored events and checks it against the head anchored outside the table, so an edited,
 * moved, deleted or inserted event — or a whole chain rewritten with fresh hashes — is reported
 * with the first link found broken (`brokenAt`, `reason`, and the stored event there). The
 * archived Step Functions histories are checked against the digests anchored with the head.
 */
export const handler = httpHandler(async (event) => {
  const id = event.pathParameters?.id ?? '';
  const store = declarationStore();
  const [view, history, anchor] = await Promise.all([store.getView(id), store.getHistory(id), chainAnchors().latest(id)]);
  if (!view && history.length === 0) throw new NotFoundError(`Declaration ${id} does not exist`, '/id');
  const result = verifyChain(history, anchor ? { anchor } : {});
  const archives = await Promise.all(
    Object.entries(anchor?.archives ?? {}).map(async ([execution, sha256]) => ({
      execution,
      ok: archiveDigest(await executionArchive().pages(id, execution)) === sha256,
    })),
  );
  const broken = result.ok ? undefined : history.find((e) => e.seq === result.brokenAt) ?? history[result.brokenAt - 1];
  return json(200, {
    id,
    ...result,
    events: history.length,
    anchor: anchor ?? null,
    archives,
    ...(broken ? { event: { seq: broken.seq, type: broken.type, hash: broken.hash, prevHash: broken.prevHash } } : {}),
  });
});
