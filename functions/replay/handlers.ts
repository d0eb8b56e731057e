import type { Context } from 'aws-lambda';
import type { FunctionName } from '../../infra/app-model.js';
import { handler as acceptDeclaration } from '../handlers/accept-declaration.js';
import { handler as amendDeclaration } from '../handlers/amend-declaration.js';
import { handler as assessTax } from '../handlers/assess-tax.js';
import { handler as awaitCallback } from '../handlers/await-callback.js';
import { handler as cancelDeclaration } from '../handlers/cancel-declaration.js';
import { handler as endStandBy } from '../handlers/end-stand-by.js';
import { handler as recordDecision } from '../handlers/record-decision.js';
import { handler as recordOutcome } from '../handlers/record-outcome.js';
import { handler as recordPayment } from '../handlers/record-payment.js';
import { handler as releaseDeclaration } from '../handlers/release-declaration.js';
import { handler as screenRisk } from '../handlers/screen-risk.js';
import { handler as selectForAudit } from '../handlers/select-for-audit.js';
import { handler as settlePayment } from '../handlers/settle-payment.js';
import { handler as submitDocuments } from '../handlers/submit-documents.js';

type Handler = (event: any, context: Context) => Promise<unknown>;

/**
 * The handler modules a replay runs in its sandbox: the lifecycle's steps and the API handlers
 * that fed it outside input (officers, the bank, the declarant's documents, amendments and
 * cancellations). Imported statically, so a bundled replay function carries exactly
 * the code that ran the declaration.
 */
export const sandboxHandlers: Partial<Record<FunctionName, Handler>> = {
  acceptDeclaration,
  screenRisk,
  awaitCallback,
  endStandBy,
  assessTax,
  settlePayment,
  releaseDeclaration,
  selectForAudit,
  recordOutcome,
  recordDecision,
  recordPayment,
  submitDocuments,
  amendDeclaration,
  cancelDeclaration,
};

/** A Lambda context for an in-process invocation (the handlers read only its ids and names). */
export function sandboxContext(functionName: string, requestId: string): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: `sandbox-${functionName}`,
    functionVersion: '$LATEST',
    invokedFunctionArn: `sandbox:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: requestId,
    logGroupName: 'sandbox',
    logStreamName: 'sandbox',
    getRemainingTimeInMillis: () => 60_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
