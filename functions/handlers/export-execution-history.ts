import { GetExecutionHistoryCommand } from '@aws-sdk/client-sfn';
import type { EventBridgeEvent } from 'aws-lambda';
import { anchorHead, archiveDigest } from '../shared/anchor.js';
import { stepFunctions } from '../shared/clients.js';
import { declarationStore, executionArchive } from '../shared/dependencies.js';
import { stepHandler } from '../shared/middy.js';

/** The part of Step Functions' "Execution Status Change" detail this function reads. */
interface StatusChange {
  executionArn: string;
  name: string;
  status: string;
  /** The execution's input, JSON text: the lifecycle is started with `{declarationId, version}`. */
  input: string;
}

/** Events per archived page: ~1 KB each keeps a page far below DynamoDB's 400 KB item limit. */
const PAGE_SIZE = 100;

/**
 * When a lifecycle execution ends (a rule on Step Functions' status-change events): copies its
 * whole execution history into the store — AWS deletes it 90 days after the execution closes —
 * and anchors the declaration's chain head outside the table together with the SHA-256 of the
 * archived pages, so neither the history nor its archive can be rewritten unnoticed. A repeated
 * delivery archives the same pages again and adds no second anchor.
 */
export const handler = stepHandler(async (event: EventBridgeEvent<string, StatusChange>) => {
  const { executionArn, name, input } = event.detail;
  const { declarationId } = JSON.parse(input) as { declarationId: string };
  const pages: string[] = [];
  let count = 0;
  let nextToken: string | undefined;
  do {
    const result = await stepFunctions().send(
      new GetExecutionHistoryCommand({ executionArn, maxResults: PAGE_SIZE, nextToken, includeExecutionData: true }),
    );
    const text = JSON.stringify(result.events ?? []);
    await executionArchive().putPage(declarationId, name, pages.length, text);
    pages.push(text);
    count += result.events?.length ?? 0;
    nextToken = result.nextToken;
  } while (nextToken);

  const view = await declarationStore().getView(declarationId);
  if (view) await anchorHead(view, event.time, { [name]: archiveDigest(pages) });
  return { archived: count, pages: pages.length };
});
