import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { PutItemCommand } from 'dynamodb-toolbox/entity/actions/put';
import { GetItemCommand } from 'dynamodb-toolbox/entity/actions/get';
import { DeleteItemCommand } from 'dynamodb-toolbox/entity/actions/delete';
import { UpdateItemCommand, $add, isConditionCheckFailed } from 'dynamodb-toolbox/entity/actions/update';
import { QueryCommand } from 'dynamodb-toolbox/table/actions/query';
import { isCurrentVersion } from '../../domain/declaration/version.js';
import { ConflictError, NotFoundError, VersionSupersededError } from '../../domain/errors.js';
import { genesisHash, sealEvent, type HistoryEvent } from '../../domain/history/index.js';
import type {
  AppendOptions,
  DeclarationStore,
  DeclarationView,
  NewHistoryEvent,
  PendingCallback,
} from '../../ports/declaration-store.js';
import { createEntities, declarationKey, type Entities } from './entities.js';

const SCHEMA_VERSION = 1;

/**
 * DeclarationStore on one DynamoDB table. dynalite has no transactions, so every write is a
 * single conditional put (STACK-NOTES): an event put conditioned on its key not existing can
 * never fork the hash chain, and the view only moves forward (its put is conditioned on an
 * older head), so a crash between the two leaves a view that the next append repairs
 * (appends read the head from the history itself, not from the view).
 */
export class DynamoDeclarationStore implements DeclarationStore {
  private readonly e: Entities;

  constructor(documentClient: DynamoDBDocumentClient, tableName: string) {
    this.e = createEntities(documentClient, tableName);
  }

  async create(
    view: Omit<DeclarationView, 'headSeq' | 'headHash'>,
    first: NewHistoryEvent,
  ): Promise<{ created: boolean; id: string }> {
    try {
      await this.e.lrnClaim
        .build(PutItemCommand)
        .item({ traderId: view.traderId, lrn: view.lrn, declarationId: view.id })
        .options({ condition: { attr: 'declarationId', exists: false } })
        .send();
    } catch (error) {
      if (!isConditionCheckFailed(error)) throw error;
      const { Item } = await this.e.lrnClaim
        .build(GetItemCommand)
        .key({ traderId: view.traderId, lrn: view.lrn })
        .options({ consistent: true })
        .send();
      return { created: false, id: Item!.declarationId };
    }
    const sealed = await this.writeEvents(view.id, [first], 0, genesisHash(view.id));
    await this.putView({ ...view, headSeq: sealed.at(-1)!.seq, headHash: sealed.at(-1)!.hash }, undefined);
    return { created: true, id: view.id };
  }

  async append(
    id: string,
    events: NewHistoryEvent[],
    changes: Partial<DeclarationView>,
    options: AppendOptions = {},
  ): Promise<DeclarationView> {
    const onBasis = options.basis !== undefined && events.length > 0;
    const { current, headSeq, headHash } = onBasis ? checked(basisOf(options.basis!), options) : await this.readForAppend(id, options);
    let sealed: HistoryEvent[];
    try {
      sealed = await this.writeEvents(id, events, headSeq, headHash);
    } catch (error) {
      // The basis moved on: answer as a fresh read would have (superseded, or concurrent).
      if (onBasis && error instanceof ConflictError) await this.readForAppend(id, options);
      throw error;
    }
    const next: DeclarationView = {
      ...current,
      ...changes,
      headSeq: sealed.at(-1)?.seq ?? current.headSeq,
      headHash: sealed.at(-1)?.hash ?? current.headHash,
    };
    await this.putView(next, current.headSeq);
    return next;
  }

  /**
   * The view and head an append builds on, read fresh and checked.
   * @throws NotFoundError, VersionSupersededError, ConflictError (see {@link DeclarationStore.append})
   */
  private async readForAppend(id: string, options: AppendOptions): Promise<AppendBasis> {
    const { view: current, head } = await this.viewAndHead(id);
    if (!current) throw new NotFoundError(`Declaration ${id} does not exist`);
    const basis = checked({ current, headSeq: head?.seq ?? 0, headHash: head?.hash ?? genesisHash(id) }, options);
    // The view trails the history only while another writer is between its events and its view:
    // building on this view would drop that writer's changes, so retry once it has finished.
    if (current.headSeq !== basis.headSeq) {
      throw new ConflictError(`Declaration ${id} is being changed concurrently; read it again`);
    }
    return basis;
  }

  async getView(id: string): Promise<DeclarationView | undefined> {
    const { Item } = await this.e.view.build(GetItemCommand).key({ id }).options({ consistent: true }).send();
    return Item && withoutIndexKeys(Item);
  }

  async getHistory(id: string): Promise<HistoryEvent[]> {
    const events: HistoryEvent[] = [];
    let exclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const page = await this.e.table
        .build(QueryCommand)
        .entities(this.e.historyEvent)
        .query({ partition: declarationKey(id), range: { beginsWith: 'EVT#' } })
        .options({ consistent: true, exclusiveStartKey })
        .send();
      events.push(...((page.Items ?? []) as HistoryEvent[]));
      exclusiveStartKey = page.LastEvaluatedKey;
    } while (exclusiveStartKey);
    return events;
  }

  async putCallback(callback: PendingCallback): Promise<void> {
    await this.e.callback.build(PutItemCommand).item(callback).send();
  }

  async getCallback(declarationId: string, kind: PendingCallback['kind']): Promise<PendingCallback | undefined> {
    const { Item } = await this.e.callback.build(GetItemCommand).key({ declarationId, kind }).options({ consistent: true }).send();
    return Item as PendingCallback | undefined;
  }

  async takeCallback(declarationId: string, kind: PendingCallback['kind']): Promise<PendingCallback | undefined> {
    const { Attributes } = await this.e.callback
      .build(DeleteItemCommand)
      .key({ declarationId, kind })
      .options({ returnValues: 'ALL_OLD' })
      .send();
    return Attributes as PendingCallback | undefined;
  }

  async nextSequence(name: string): Promise<number> {
    const { Attributes } = await this.e.sequence
      .build(UpdateItemCommand)
      .item({ name, value: $add(1) })
      .options({ returnValues: 'UPDATED_NEW' })
      .send();
    return Attributes!.value as number;
  }

  /**
   * The view and the newest history event in one strongly consistent Query (one request where a
   * GetItem and a Query were): a declaration's items sort CALLBACK#… < EVT#… < VIEW < WORKITEM,
   * so reading backwards from VIEW gives the view, then the newest event. The head of the chain
   * still comes from the history itself, never from the view. Should an item of another kind
   * ever sort between the events and the view, the head is read on its own.
   */
  private async viewAndHead(id: string): Promise<{ view?: DeclarationView; head?: HistoryEvent }> {
    const { Items = [] } = await this.e.table
      .build(QueryCommand)
      .entities(this.e.view, this.e.historyEvent)
      .query({ partition: declarationKey(id), range: { lte: 'VIEW' } })
      .options({ consistent: true, reverse: true, limit: 2 })
      .send();
    const found = Items.find((item) => 'headSeq' in item);
    const view = found && withoutIndexKeys(found);
    const newest = Items.find((item) => 'seq' in item) as HistoryEvent | undefined;
    return { view, head: newest ?? (view ? await this.latestEvent(id) : undefined) };
  }

  private async latestEvent(id: string): Promise<HistoryEvent | undefined> {
    const { Items } = await this.e.table
      .build(QueryCommand)
      .entities(this.e.historyEvent)
      .query({ partition: declarationKey(id), range: { beginsWith: 'EVT#' } })
      .options({ consistent: true, reverse: true, limit: 1 })
      .send();
    return Items?.[0] as HistoryEvent | undefined;
  }

  private async writeEvents(id: string, events: NewHistoryEvent[], headSeq: number, headHash: string): Promise<HistoryEvent[]> {
    const sealed: HistoryEvent[] = [];
    let prevHash = headHash;
    for (const [index, event] of events.entries()) {
      const next = sealEvent({ declarationId: id, seq: headSeq + index + 1, schemaVersion: SCHEMA_VERSION, ...event }, prevHash);
      try {
        // attribute_not_exists on the key: two writers racing for the same seq — one loses.
        await this.e.historyEvent.build(PutItemCommand).item(next).options({ condition: { attr: 'seq', exists: false } }).send();
      } catch (error) {
        if (isConditionCheckFailed(error)) {
          throw new ConflictError(`History of ${id} moved on concurrently at seq ${next.seq}; retry`);
        }
        throw error;
      }
      sealed.push(next);
      prevHash = next.hash;
    }
    return sealed;
  }

  /**
   * Writes the view over the one it was built from (`basedOn`, its head seq; undefined for a new
   * declaration): a writer holding an older view can never overwrite a newer one.
   * @throws ConflictError when the view moved meanwhile
   */
  private async putView(view: DeclarationView, basedOn: number | undefined): Promise<void> {
    try {
      await this.e.view
        .build(PutItemCommand)
        .item(view)
        .options({ condition: basedOn === undefined ? { attr: 'headSeq', exists: false } : { attr: 'headSeq', eq: basedOn } })
        .send();
    } catch (error) {
      if (!isConditionCheckFailed(error)) throw error;
      throw new ConflictError(`Declaration ${view.id} was changed concurrently; read it again`);
    }
  }

}

/** What an append builds on: the view and the head of the chain it continues. */
interface AppendBasis {
  current: DeclarationView;
  headSeq: number;
  headHash: string;
}

/**
 * The caller's view as the basis of an append, without reading it again: the head is the one the
 * view was written with (a view that trailed its history fails at the first event's seq).
 */
function basisOf(view: DeclarationView): AppendBasis {
  return { current: view, headSeq: view.headSeq, headHash: view.headHash };
}

/**
 * The basis, when it meets the append's guards.
 * @throws VersionSupersededError, ConflictError (see {@link DeclarationStore.append})
 */
function checked(basis: AppendBasis, options: AppendOptions): AppendBasis {
  const { current, headSeq } = basis;
  // A version's own steps may only write while it is the current one. The version moves with an
  // event of its own (DeclarationAmended), so a writer that read the old version and lost the
  // race for the next seq retries (ConflictError), re-reads, and stops here.
  if (options.expectedVersion !== undefined && !isCurrentVersion(current, options.expectedVersion)) {
    throw new VersionSupersededError(`Declaration ${current.id} is at version ${current.version} (${current.status}); version ${options.expectedVersion} was superseded`);
  }
  if (options.expectedHeadSeq !== undefined && headSeq !== options.expectedHeadSeq) {
    throw new ConflictError(`History of ${current.id} moved on to seq ${headSeq} since seq ${options.expectedHeadSeq} was read; retry`);
  }
  return basis;
}

/** The view without the index keys derived from it. */
function withoutIndexKeys(item: Record<string, unknown>): DeclarationView {
  const { GSI1PK: _1, GSI1SK: _2, GSI2PK: _3, GSI2SK: _4, ...view } = item;
  return view as unknown as DeclarationView;
}
