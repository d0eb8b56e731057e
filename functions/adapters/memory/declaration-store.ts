import { isCurrentVersion } from '../../domain/declaration/version.js';
import { ConflictError, NotFoundError, VersionSupersededError } from '../../domain/errors.js';
import { genesisHash, sealEvent, type HistoryEvent } from '../../domain/history/index.js';
import type { AppendOptions, DeclarationStore, DeclarationView, NewHistoryEvent, PendingCallback } from '../../ports/declaration-store.js';

const SCHEMA_VERSION = 1;
const copy = <T>(value: T): T => structuredClone(value);

/**
 * DeclarationStore in memory: the replay sandbox's store (nothing it writes reaches live data).
 * Same contract as the DynamoDB store — events sealed onto the chain in order, a concurrent
 * append at a taken seq is a ConflictError — and `onAppend` sees every event sealed, in order.
 */
export class MemoryDeclarationStore implements DeclarationStore {
  private readonly views = new Map<string, DeclarationView>();
  private readonly histories = new Map<string, HistoryEvent[]>();
  private readonly callbacks = new Map<string, PendingCallback>();
  private readonly claims = new Map<string, string>();
  private readonly sequences = new Map<string, number>();

  constructor(
    private readonly options: {
      onAppend?: (events: HistoryEvent[]) => void;
      /** Readings of named sequences to answer in order (a replay feeds the recorded entry numbers). */
      sequenceReadings?: Record<string, number[]>;
    } = {},
  ) {}

  /** Puts a declaration's view and already sealed events in place, as recorded. */
  seed(view: DeclarationView, events: HistoryEvent[]): void {
    this.views.set(view.id, copy(view));
    this.histories.set(view.id, copy(events));
  }

  async create(view: Omit<DeclarationView, 'headSeq' | 'headHash'>, first: NewHistoryEvent): Promise<{ created: boolean; id: string }> {
    const claim = `${view.traderId}#${view.lrn}`;
    const holder = this.claims.get(claim);
    if (holder) return { created: false, id: holder };
    this.claims.set(claim, view.id);
    const [sealed] = this.seal(view.id, [first]);
    this.views.set(view.id, copy({ ...view, headSeq: sealed.seq, headHash: sealed.hash }));
    return { created: true, id: view.id };
  }

  async append(id: string, events: NewHistoryEvent[], changes: Partial<DeclarationView>, options: AppendOptions = {}): Promise<DeclarationView> {
    const current = this.views.get(id);
    if (!current) throw new NotFoundError(`Declaration ${id} does not exist`);
    if (options.expectedVersion !== undefined && !isCurrentVersion(current, options.expectedVersion)) {
      throw new VersionSupersededError(`Declaration ${id} is at version ${current.version} (${current.status}); version ${options.expectedVersion} was superseded`);
    }
    const headSeq = this.histories.get(id)?.at(-1)?.seq ?? 0;
    if (options.expectedHeadSeq !== undefined && headSeq !== options.expectedHeadSeq) {
      throw new ConflictError(`History of ${id} moved on to seq ${headSeq} since seq ${options.expectedHeadSeq} was read; retry`);
    }
    // As the conditional put of the first event fails in DynamoDB: the basis moved on.
    if (options.basis && events.length > 0 && options.basis.headSeq !== headSeq) {
      throw new ConflictError(`History of ${id} moved on to seq ${headSeq} since seq ${options.basis.headSeq} was read; retry`);
    }
    const sealed = this.seal(id, events);
    const next: DeclarationView = {
      ...current,
      ...copy(changes),
      headSeq: sealed.at(-1)?.seq ?? current.headSeq,
      headHash: sealed.at(-1)?.hash ?? current.headHash,
    };
    this.views.set(id, next);
    if (sealed.length > 0) this.options.onAppend?.(copy(sealed));
    return copy(next);
  }

  async getView(id: string): Promise<DeclarationView | undefined> {
    const view = this.views.get(id);
    return view && copy(view);
  }

  async getHistory(id: string): Promise<HistoryEvent[]> {
    return copy(this.histories.get(id) ?? []);
  }

  async putCallback(callback: PendingCallback): Promise<void> {
    this.callbacks.set(`${callback.declarationId}#${callback.kind}`, copy(callback));
  }

  async getCallback(declarationId: string, kind: PendingCallback['kind']): Promise<PendingCallback | undefined> {
    const callback = this.callbacks.get(`${declarationId}#${kind}`);
    return callback && copy(callback);
  }

  async takeCallback(declarationId: string, kind: PendingCallback['kind']): Promise<PendingCallback | undefined> {
    const callback = await this.getCallback(declarationId, kind);
    this.callbacks.delete(`${declarationId}#${kind}`);
    return callback;
  }

  async nextSequence(name: string): Promise<number> {
    const reading = this.options.sequenceReadings?.[name]?.shift();
    const value = reading ?? (this.sequences.get(name) ?? 0) + 1;
    this.sequences.set(name, value);
    return value;
  }

  private seal(id: string, events: NewHistoryEvent[]): HistoryEvent[] {
    const history = this.histories.get(id) ?? [];
    const sealed: HistoryEvent[] = [];
    let head = history.at(-1);
    for (const event of events) {
      const seq = (head?.seq ?? 0) + 1;
      if (history.some((e) => e.seq === seq)) throw new ConflictError(`History of ${id} moved on concurrently at seq ${seq}; retry`);
      const next = sealEvent({ declarationId: id, seq, schemaVersion: SCHEMA_VERSION, ...copy(event) }, head?.hash ?? genesisHash(id));
      sealed.push(next);
      head = next;
    }
    this.histories.set(id, [...history, ...sealed]);
    return sealed;
  }
}
