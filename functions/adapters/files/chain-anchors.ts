import { appendFileSync, closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import type { AnchoredHead, ChainAnchors } from '../../ports/chain-anchors.js';

/**
 * Chain anchors in a local append-only file (JSON lines). The file is only ever opened for
 * appending; reading keeps the highest anchored head per declaration, catching up on lines
 * appended since the last read (by this or another process).
 */
export class FileChainAnchors implements ChainAnchors {
  private readonly heads = new Map<string, AnchoredHead>();
  private offset = 0;
  private partial = '';

  constructor(private readonly path: string) {}

  async anchor(heads: AnchoredHead[]): Promise<void> {
    this.catchUp();
    const fresh = heads.filter((head) => !this.recorded(head));
    if (fresh.length === 0) return;
    // One write with O_APPEND: lines of concurrent writers never interleave mid-line.
    appendFileSync(this.path, fresh.map((head) => JSON.stringify(head) + '\n').join(''), { flag: 'a' });
    this.catchUp();
  }

  async latest(declarationId: string): Promise<AnchoredHead | undefined> {
    this.catchUp();
    return this.heads.get(declarationId);
  }

  /** Already anchored: the latest anchor is this head with at least these archives. */
  private recorded(head: AnchoredHead): boolean {
    const latest = this.heads.get(head.declarationId);
    if (!latest || latest.seq < head.seq) return false;
    if (latest.seq > head.seq) return true;
    return Object.entries(head.archives ?? {}).every(([name, sha]) => latest.archives?.[name] === sha);
  }

  private catchUp(): void {
    if (!existsSync(this.path)) return;
    const size = statSync(this.path).size;
    if (size <= this.offset) return;
    const buffer = Buffer.alloc(size - this.offset);
    const fd = openSync(this.path, 'r');
    try {
      readSync(fd, buffer, 0, buffer.length, this.offset);
    } finally {
      closeSync(fd);
    }
    this.offset = size;
    const lines = (this.partial + buffer.toString('utf8')).split('\n');
    this.partial = lines.pop() ?? '';
    for (const line of lines) {
      if (!line.trim()) continue;
      const head = JSON.parse(line) as AnchoredHead;
      if ((this.heads.get(head.declarationId)?.seq ?? 0) <= head.seq) this.heads.set(head.declarationId, head);
    }
  }
}
