import { createRequire } from 'node:module';

/**
 * Closes the LevelDB iterators dynalite opens for every Query and Scan.
 *
 * dynalite 4.0.0 reads a key range through a Readable over an abstract-level iterator and, when
 * the stream ends or is destroyed, releases it with `iterator.return()` — a method abstract-level
 * 3 iterators do not have (they are released with `close()`). So every Query left its iterator
 * open, attached to the database (abstract-level keeps open resources to close them with it),
 * with the values it had buffered and, on disk, a LevelDB iterator: about 11 KB per query of a
 * ten-event history, and RSS growing without bound under load (measured with `npm run bench`).
 * Giving the iterators the `return()` dynalite calls closes them as it intends.
 *
 * abstract-level is dynalite's (through `level`), resolved from there; one copy is installed.
 */
export function closeDynaliteIterators(): void {
  const fromDynalite = createRequire(createRequire(import.meta.url).resolve('dynalite'));
  const { AbstractValueIterator } = createRequire(fromDynalite.resolve('level'))('abstract-level');
  // The common base of key, value and entry iterators: the prototype that defines close().
  let base = AbstractValueIterator.prototype;
  while (base && !Object.prototype.hasOwnProperty.call(base, 'close')) base = Object.getPrototypeOf(base);
  if (!base || typeof base.return === 'function') return;
  Object.defineProperty(base, 'return', {
    configurable: true,
    writable: true,
    value: async function (this: { close(): Promise<void> }) {
      await this.close();
      return { done: true, value: undefined };
    },
  });
}
