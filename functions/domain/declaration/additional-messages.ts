import { z } from 'zod';
import { ConflictError, ValidationError, type ValidationIssue } from '../errors.js';
import { canonicalJson } from '../history/canonical-json.js';
import { RecoveryCause } from '../tax/catalog.js';
import { issue } from './errors-catalogue.js';
import type { IntakeReference } from './intake-reference.js';
import { declarationSchemaFor, type Declaration } from './model.js';
import { schemaIssue, toJsonPointer } from './parse-submission.js';
import { validateDeclaration } from './validate.js';
import type { WcoAmendment } from './wco-additional-messages.js';

/**
 * Amendments and cancellations of a lodged declaration (WCO DMS additional messages, TypeCode
 * COR and INV; CDS "Handle Additional Message"). A declaration is never edited in place: an
 * amendment makes a new immutable version, a cancellation invalidates it. Before the taxes are
 * settled they apply at once; afterwards — the goods are being or have been released — they
 * are requests an officer decides (UCC Art. 173(3): amendment after release on the declarant's
 * application; Art. 174: invalidation), as CDS answers them with DMSREQ.
 */

/** WCO change reason code (e.g. 1 "no longer required", 21 value amended, 28 weight or quantity amended). */
export const ChangeReasonCode = z.string().regex(/^\d{1,3}$/, 'must be a WCO change reason code of 1 to 3 digits');

/** One change, as an RFC 6902 JSON Patch operation on the canonical declaration (add, replace, remove). */
export const DeclarationChange = z.strictObject({
  op: z.enum(['add', 'replace', 'remove']),
  /** RFC 6901 JSON Pointer into the canonical declaration, e.g. `/items/0/netMassKg`. */
  path: z.string().regex(/^(\/[^/]*)+$/, 'must be a JSON Pointer such as /items/0/netMassKg'),
  value: z.unknown().optional(),
});
export type DeclarationChange = z.infer<typeof DeclarationChange>;

/** `POST /declarations/{id}/amendments` in canonical JSON. */
export const AmendmentRequest = z.strictObject({
  reasonCode: ChangeReasonCode,
  reason: z.string().min(1).max(512),
  changes: z.array(DeclarationChange).min(1).max(99),
});
export type AmendmentRequest = z.infer<typeof AmendmentRequest>;

/** `POST /declarations/{id}/cancellation` in canonical JSON. */
export const CancellationRequest = z.strictObject({
  reasonCode: ChangeReasonCode.optional(),
  reason: z.string().min(1).max(512),
});
export type CancellationRequest = z.infer<typeof CancellationRequest>;

/**
 * An officer's decision on an amendment or cancellation asked after the taxes were settled
 * (`POST /declarations/{id}/decisions` while the request waits in the `additional-messages` queue).
 */
export const AdditionalMessageDecision = z.strictObject({
  decision: z.enum(['GRANT', 'REFUSE']),
  officer: z.string().min(1).max(64),
  reason: z.string().max(2000).optional(),
  /**
   * For an amendment granted after release that raises the tax: who caused the shortfall — it
   * sets the recovery clock and the late fee (关税法 Arts. 45–47), as for an audit finding.
   */
  cause: RecoveryCause.optional(),
});
export type AdditionalMessageDecision = z.infer<typeof AdditionalMessageDecision>;

/** What becomes of an additional message: applied now, or a request for an officer. */
export type AdditionalMessageRoute = 'APPLY' | 'REQUEST';

/** Before the taxes are settled: the workflow has not yet passed the point of release. */
const APPLIES_AT_ONCE = new Set(['SUBMITTED', 'ACCEPTED', 'HELD', 'ASSESSED', 'AWAITING_PAYMENT']);
/** Settled or released: the goods go (or have gone); only an officer may still change or invalidate the declaration. */
const NEEDS_AN_OFFICER = new Set(['SECURED', 'PAID', 'RELEASED']);

/**
 * Where an amendment or cancellation of a declaration in `status` goes.
 * @throws ConflictError for a declaration that is rejected, cancelled, seized or failed: there is nothing left to change
 */
export function routeAdditionalMessage(status: string, kind: 'amend' | 'cancel'): AdditionalMessageRoute {
  if (APPLIES_AT_ONCE.has(status)) return 'APPLY';
  if (NEEDS_AN_OFFICER.has(status)) return 'REQUEST';
  throw new ConflictError(`A ${status.toLowerCase()} declaration cannot be ${kind === 'amend' ? 'amended' : 'cancelled'}`);
}

/** Fields that identify the declaration (its id is derived from them): amend them by cancelling and lodging anew. */
const IDENTITY = ['/jurisdiction', '/direction', '/declarant', '/lrn'];

/**
 * The declaration after `changes`, validated like a submission of its category — every issue at
 * once, pointed at by `pointerFor` (the JSON Pointer itself, or the WCO element path for XML).
 * @throws ValidationError listing every change that cannot apply and every rule the result breaks
 */
export function amendDeclaration(
  current: Declaration,
  changes: readonly DeclarationChange[],
  refs: IntakeReference,
  pointerFor: (jsonPointer: string) => string = (pointer) => pointer,
): Declaration {
  const draft = structuredClone(current) as unknown as Record<string, unknown>;
  const issues: ValidationIssue[] = [];
  for (const change of changes) {
    if (IDENTITY.some((field) => change.path === field || change.path.startsWith(`${field}/`))) {
      issues.push(issue('CWY-AMEND-005', pointerFor(change.path), { path: change.path }));
    } else if (!applyChange(draft, change)) {
      issues.push(issue('CWY-AMEND-004', pointerFor(change.path), { path: change.path }));
    }
  }
  if (issues.length) throw new ValidationError(issues);
  const parsed = declarationSchemaFor(draft).safeParse(draft);
  if (!parsed.success) {
    throw new ValidationError(parsed.error.issues.map((found) => schemaIssue(found, draft, (path) => pointerFor(toJsonPointer(path)))));
  }
  const broken = validateDeclaration(parsed.data, refs);
  if (broken.length) throw new ValidationError(broken.map((found) => ({ ...found, pointer: pointerFor(found.pointer) })));
  // A version that changes nothing would stop the running workflow and re-assess for nothing.
  if (canonicalJson(parsed.data) === canonicalJson(current)) throw new ValidationError([issue('CWY-AMEND-008', '/changes')]);
  return parsed.data;
}

/**
 * The changes a WCO amendment (TypeCode COR) asks for: each pointer that names a data element
 * the canonical model holds becomes a `replace` with the value the message carries.
 * @throws ValidationError for a pointer the model cannot follow, a value without content, an
 *   amount in another currency than the invoice's, or a mass not in kilograms
 */
export function changesFromWco(amendment: WcoAmendment, declaration: Declaration): DeclarationChange[] {
  const issues: ValidationIssue[] = [];
  const changes: DeclarationChange[] = [];
  for (const change of amendment.changes) {
    if (!change.field || change.value === undefined) {
      issues.push(issue('CWY-AMEND-006', change.pointer, { pointer: change.pointer }));
      continue;
    }
    const currency = change.attributes?.currencyID;
    if (currency !== undefined && currency !== declaration.invoiceCurrency) {
      issues.push(issue('CWY-WCO-004', `${change.pointer}/@currencyID`, { value: currency, expected: declaration.invoiceCurrency ?? 'none' }));
    }
    const unit = change.attributes?.unitCode;
    if (unit !== undefined && change.field.endsWith('MassKg') && unit !== 'KGM') {
      issues.push(issue('CWY-WCO-007', `${change.pointer}/@unitCode`, { value: unit }));
    }
    changes.push({ op: 'replace', path: change.field, value: change.value });
  }
  if (issues.length) throw new ValidationError(issues);
  return changes;
}

/**
 * An additional message names the declaration it concerns by its MRN (`/Declaration/ID`): it must
 * be the entry number this declaration was given.
 * @throws ValidationError CWY-AMEND-007 when it names another one (or the declaration has none yet)
 */
export function checkMessageTarget(messageDeclarationId: string, entryNumber: string | undefined): void {
  if (messageDeclarationId !== entryNumber) {
    throw new ValidationError([issue('CWY-AMEND-007', '/Declaration/ID', { value: messageDeclarationId, expected: entryNumber ?? 'none yet' })]);
  }
}

/** Applies one JSON Patch operation in place; false when its path does not exist (RFC 6902 §4). */
const FORBIDDEN_SEGMENTS = new Set(['__proto__', 'constructor', 'prototype']);

function applyChange(document: Record<string, unknown>, change: DeclarationChange): boolean {
  const segments = change.path.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  // A declaration has no such fields; writing them would reach the objects' prototypes.
  if (segments.some((segment) => FORBIDDEN_SEGMENTS.has(segment))) return false;
  const last = segments.pop()!;
  let parent: unknown = document;
  for (const segment of segments) {
    parent = childOf(parent, segment);
    if (parent === undefined) return false;
  }
  if (Array.isArray(parent)) {
    const index = last === '-' && change.op === 'add' ? parent.length : /^(0|[1-9]\d*)$/.test(last) ? Number(last) : -1;
    const limit = change.op === 'add' ? parent.length : parent.length - 1;
    if (index < 0 || index > limit) return false;
    if (change.op === 'add') parent.splice(index, 0, change.value);
    else if (change.op === 'replace') parent[index] = change.value;
    else parent.splice(index, 1);
    return true;
  }
  if (parent === null || typeof parent !== 'object') return false;
  const object = parent as Record<string, unknown>;
  if (change.op !== 'add' && !Object.hasOwn(object, last)) return false;
  if (change.op === 'remove') delete object[last];
  else object[last] = change.value;
  return true;
}

function childOf(parent: unknown, segment: string): unknown {
  if (Array.isArray(parent)) return /^(0|[1-9]\d*)$/.test(segment) ? parent[Number(segment)] : undefined;
  if (parent === null || typeof parent !== 'object' || !Object.hasOwn(parent, segment)) return undefined;
  return (parent as Record<string, unknown>)[segment];
}
