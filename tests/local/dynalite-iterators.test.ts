/**
 * dynalite releases the iterator of every Query with `iterator.return()`, which abstract-level
 * iterators lack; infra/local/dynamo/iterator-fix.ts gives them one that closes them, so a
 * long-running local platform does not keep an open iterator per query.
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { closeDynaliteIterators } from '../../infra/local/dynamo/iterator-fix.js';

const fromDynalite = createRequire(createRequire(import.meta.url).resolve('dynalite'));

describe('the iterators dynalite opens', () => {
  it('are closed by the return() dynalite calls when a range read ends', async () => {
    closeDynaliteIterators();
    const { MemoryLevel } = fromDynalite('memory-level');
    const db = new MemoryLevel();
    await db.put('EVT#1', 'first');
    const iterator = db.values();
    expect(await iterator.next()).toBe('first');
    await iterator.return();
    await expect(iterator.next()).rejects.toMatchObject({ code: 'LEVEL_ITERATOR_NOT_OPEN' });
    await db.close();
  });
});
