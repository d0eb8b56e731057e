import { z } from 'zod';
import { DecimalString, IsoDate } from '../domain/declaration/model.js';
import { AuditCaseStatus } from '../domain/audit/case.js';
import { Attachment, WorkItemStatus, WorkQueue } from '../domain/risk/index.js';

/**
 * The request bodies and query strings of the HTTP API that are not domain models themselves:
 * one definition, read by the handler that validates with it and by the OpenAPI document.
 */

/** `POST /declarations/{id}/payments`: the bank's (or cashier's) payment of a tax notice. */
export const PaymentNotice = z.strictObject({
  amount: DecimalString,
  currency: z.string().regex(/^[A-Z]{3}$/),
  /** The bank's reference of the transfer: a repeated notification carries the same one. */
  reference: z.string().min(1).max(64),
});

/** `POST /declarations/{id}/documents`: the documents an officer asked for. */
export const DocumentsAnswer = z.strictObject({
  submittedBy: z.string().min(1).max(64),
  documents: z.array(z.strictObject({
    type: z.string().min(1).max(8),
    id: z.string().min(1).max(70),
    attachment: Attachment.optional(),
  })).min(1).max(20),
  note: z.string().max(2000).optional(),
});

/** `GET /work-items?queue=…&status=…&limit=…` */
export const WorkItemsQuery = z.strictObject({
  queue: WorkQueue,
  status: WorkItemStatus.default('OPEN'),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});

/** `GET /risk/report?from=…&to=…` */
export const ReportPeriod = z.strictObject({ from: IsoDate, to: IsoDate });

/** `POST /risk/profiles/{id}/versions/{v}/approve` */
export const ProfileApproval = z.strictObject({ approver: z.string().min(1).max(64) });

/** `GET /notifications?status=…&declarationId=…&limit=…` */
export const NotificationsQuery = z.strictObject({
  status: z.enum(['UNACKNOWLEDGED', 'ACKNOWLEDGED']).default('UNACKNOWLEDGED'),
  declarationId: z.string().min(1).max(64).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(100),
  /** The `cursor` of the previous page, to read on. */
  cursor: z.string().min(1).max(2048).optional(),
});

/** `POST /audits/replays`: the declaration an auditor replays. */
export const ReplayRequest = z.strictObject({ declarationId: z.string().min(1).max(64) });

/** `GET /audits/cases?status=…&limit=…` */
export const AuditCasesQuery = z.strictObject({
  status: AuditCaseStatus.default('OPEN'),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});
