/** A declaration's chain head as recorded outside the table (issue 7). */
export interface AnchoredHead {
  declarationId: string;
  seq: number;
  hash: string;
  anchoredAt: string;
  /**
   * SHA-256 of the archived Step Functions history of each ended execution (by execution name),
   * so the archive outside the hash chain is tamper-evident too.
   */
  archives?: Record<string, string>;
}

/**
 * Where chain heads are anchored, out of reach of whoever can rewrite the table: an S3 bucket
 * with Object Lock on AWS, an append-only file locally. Anchors are only ever added, so
 * rewriting a whole chain in the table (every hash recomputed) still disagrees with them.
 */
export interface ChainAnchors {
  /** Adds anchors; one already recorded (same declaration, seq and archives) is not written again. */
  anchor(heads: AnchoredHead[]): Promise<void>;
  /** The anchored head of a declaration with the highest seq (the latest anchored at that seq), if any. */
  latest(declarationId: string): Promise<AnchoredHead | undefined>;
}
