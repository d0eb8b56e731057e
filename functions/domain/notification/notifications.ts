import { createHash } from 'node:crypto';

/**
 * Notifications to the declarant for every change of its declaration, modelled on the CDS DMS
 * notification set (`reference-data/code-tables/cds-dms-notification-codes.csv`, from HMRC's
 * end-to-end service guide; samples in `examples/wco-dms/Example_DMS_notifications/`). A
 * notification is derived from one history event, so it is as deterministic as the history and
 * has a stable id: a repeat of the same event never makes a second notification.
 */

/** The CDS notification codes Clearway issues, with the DMS function code each carries. */
export const NOTIFICATION_CODES = {
  DMSACC: { functionCode: '01', meaning: 'Declaration legally accepted' },
  DMSRCV: { functionCode: '02', meaning: 'Message registered (pre-lodged declarations and additional messages)' },
  DMSREJ: { functionCode: '03', meaning: 'Received message rejected' },
  DMSCTL: { functionCode: '05', meaning: 'Customs intends to physically examine the goods' },
  DMSDOC: { functionCode: '06', meaning: 'Submitter asked to present documents' },
  DMSRES: { functionCode: '07', meaning: 'Corrections applied to the declaration' },
  DMSCLE: { functionCode: '09', meaning: 'Declaration cleared; goods can be released' },
  DMSINV: { functionCode: '10', meaning: 'Declaration cancelled/invalidated' },
  DMSREQ: { functionCode: '11', meaning: 'Acceptance or denial of an additional message' },
  DMSTAX: { functionCode: '13', meaning: 'Duties liable, reserved or paid' },
  DMSCPI: { functionCode: '14', meaning: 'Insufficient balance on the method of payment; goods not released until fixed' },
  DMSCPR: { functionCode: '15', meaning: 'Reminder: payment outstanding' },
  DMSEXT: { functionCode: '17', meaning: 'Declaration needs manual handling' },
  DMSQRY: { functionCode: '51', meaning: 'Query raised by a caseworker' },
} as const;
export type NotificationCode = keyof typeof NOTIFICATION_CODES;

/** How long a notification can be pulled or pushed: two weeks (HMRC end-to-end service guide, notifications). */
export const NOTIFICATION_LIFETIME_DAYS = 14;

/** A notification, as the pull queue returns it and the webhook receives it. */
export interface Notification {
  /** Stable: derived from the declaration and the history event it reports. */
  id: string;
  code: NotificationCode;
  functionCode: string;
  meaning: string;
  /** The organisation it is for (the declarant). */
  org: string;
  declarationId: string;
  version: number;
  lrn: string;
  /** The entry number (MRN), once accepted. */
  mrn?: string;
  /** The declaration's status after the change. */
  status: string;
  issuedAt: string;
  expiresAt: string;
  /** The history event it reports, by type and position in the hash chain. */
  event: { type: string; seq: number };
  details: Record<string, unknown>;
}

/** The recorded change a notification reports. */
export interface RecordedChange {
  type: string;
  seq: number;
  occurredAt: string;
  data: Record<string, unknown>;
}

/** The declaration as it stands after the change. */
export interface DeclarationState {
  id: string;
  version: number;
  status: string;
  traderId: string;
  lrn: string;
  entryNumber?: string;
  channel?: string;
}

type Rule = (data: Record<string, any>, state: DeclarationState) => [NotificationCode, Record<string, unknown>] | undefined;

/**
 * Which change tells the declarant what. Internal steps — risk screening, audit selection, an
 * audit case and its findings (until they change the tax), the supersession of an execution, a
 * work item moving to the supervisor — tell the trader nothing (and must not tip them off).
 */
const RULES: Readonly<Record<string, Rule>> = {
  DeclarationSubmitted: (d) => ['DMSRCV', { format: d.format }],
  DeclarationAccepted: (d) => ['DMSACC', { acceptedAt: d.acceptedAt, entryNumber: d.entryNumber }],
  DeclarationAmended: (d) => ['DMSRES', { version: d.version, reasonCode: d.reasonCode, reason: d.reason, changes: d.changes }],
  AmendmentRequested: (d) => ['DMSRCV', { additionalMessage: 'AMENDMENT', reasonCode: d.reasonCode, reason: d.reason }],
  CancellationRequested: (d) => ['DMSRCV', { additionalMessage: 'CANCELLATION', reasonCode: d.reasonCode, reason: d.reason }],
  AdditionalMessageDecided: (d) => ['DMSREQ', { additionalMessage: d.kind, accepted: d.decision === 'GRANT', ...(d.reason ? { reason: d.reason } : {}) }],
  OfficerReviewRequested: (d, state) => {
    if (d.escalated) return undefined;
    const channel = d.channel ?? state.channel;
    if (channel === 'RED') return ['DMSCTL', { control: 'PHYSICAL_EXAMINATION' }];
    if (channel === 'QUERY') return ['DMSQRY', {}];
    return ['DMSDOC', { control: 'DOCUMENT_REVIEW' }];
  },
  OfficerDecisionRecorded: (d) => (d.decision === 'REQUEST_DOCUMENTS' ? ['DMSDOC', { documents: d.documents }] : undefined),
  InspectionRecorded: (d) => (d.result === 'DISCREPANCY' ? ['DMSRES', { inspection: 'DISCREPANCY', findings: d.findings }] : undefined),
  // A declaration assessed no tax at all (a customs clearance request) has no DMSTAX to tell.
  TaxAssessed: (d) => (d.lines?.length ? ['DMSTAX', { stage: 'ASSESSED', lines: d.lines, total: d.total }] : undefined),
  TaxNoticeIssued: (d) => ['DMSTAX', { stage: 'PAYMENT_DUE', amount: d.amount, currency: d.currency, deadline: d.deadline }],
  // Settling nothing (no tax, or paid already on an earlier version) is no news.
  PaymentSettled: (d) => (isZero(d.amount) ? undefined : ['DMSTAX', { stage: d.secured ? 'SECURED' : 'SETTLED', method: d.method, amount: d.amount, currency: d.currency }]),
  PaymentReceived: (d) => ['DMSTAX', { stage: 'PAID', amount: d.amount, currency: d.currency, lateFee: d.lateFee, reference: d.reference }],
  // Post-clearance: the taxpayer is told of the tax the audit established (关税法 Art. 45 para 2), not of the selection.
  SupplementaryAssessmentIssued: (d) => ['DMSTAX', { stage: 'SUPPLEMENTARY_ASSESSMENT', amount: d.amount, currency: d.currency, lateFee: d.lateFee?.amount, reference: d.reference }],
  // An amendment granted after release: the tax the amended version establishes and what the difference leads to
  // (a correction that changes no tax is told by its DMSRES alone).
  TaxReassessed: (d) => d.effect?.kind === 'NO_TAX_EFFECT' ? undefined : ['DMSTAX', { stage: 'REASSESSED', total: d.total, previous: d.established, effect: d.effect?.kind, amount: d.effect?.amount, lateFee: d.effect?.lateFee?.amount, interest: d.effect?.interest?.amount }],
  // The bank paid what post-clearance work assessed (a supplementary assessment and its late fee): paid, and what it settled.
  PostClearancePaymentReceived: (d) => ['DMSTAX', { stage: 'PAID', amount: d.amount, currency: d.currency, reference: d.reference, settles: d.settles?.map((charge: { kind: string }) => charge.kind) }],
  RefundAssessed: (d) => ['DMSTAX', { stage: 'REFUND', amount: d.amount, currency: d.currency, interest: d.interest?.amount, reference: d.reference }],
  GuaranteeInsufficient: (d) => ['DMSCPI', { account: d.accountId, amount: d.amount, available: d.available, currency: d.currency }],
  PaymentAwaited: (d) => (d.overdue ? ['DMSCPR', { overdue: true }] : undefined),
  DeclarationReleased: (d) => ['DMSCLE', { releasedAt: d.releasedAt }],
  DeclarationRejected: (d) => ['DMSREJ', { error: d.error, reasons: d.reasons }],
  DeclarationCancelled: (d) => ['DMSINV', { reasonCode: d.reasonCode, reason: d.reason }],
  GoodsSeized: (d) => ['DMSEXT', { outcome: 'SEIZED', reasons: d.reasons }],
  DeclarationFailed: () => ['DMSEXT', { outcome: 'FAILED' }],
};

/**
 * The notification a recorded change makes, or none. Pure: the same change and state always
 * give the same notification.
 */
export function notificationFor(change: RecordedChange, state: DeclarationState): Notification | undefined {
  const found = RULES[change.type]?.(change.data, state);
  if (!found) return undefined;
  const [code, details] = found;
  return {
    id: notificationId(state.id, change.seq),
    code,
    ...NOTIFICATION_CODES[code],
    org: state.traderId,
    declarationId: state.id,
    version: state.version,
    lrn: state.lrn,
    ...(state.entryNumber ? { mrn: state.entryNumber } : {}),
    status: state.status,
    issuedAt: change.occurredAt,
    expiresAt: new Date(Date.parse(change.occurredAt) + NOTIFICATION_LIFETIME_DAYS * 86_400_000).toISOString(),
    event: { type: change.type, seq: change.seq },
    details: withoutUndefined(details),
  };
}

/** Whether the notification can still be pulled or pushed at `at`. */
export function isExpired(notification: Pick<Notification, 'expiresAt'>, at: string): boolean {
  return Date.parse(at) >= Date.parse(notification.expiresAt);
}

/** 32 hex characters, like the FunctionalReferenceID of HMRC's notifications. */
function notificationId(declarationId: string, seq: number): string {
  return createHash('sha256').update(`${declarationId}#${seq}`).digest('hex').slice(0, 32);
}

function isZero(amount: unknown): boolean {
  return typeof amount === 'string' && /^0+(\.0+)?$/.test(amount);
}

function withoutUndefined(details: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(details).filter(([, value]) => value !== undefined));
}
