/**
 * Stable, named errors (DESIGN.md §8). The `name` is both the Step Functions `ErrorEquals`
 * contract and the API error code, so it never changes once published.
 */
export abstract class ClearwayError extends Error {
  abstract override readonly name: string;
  /** HTTP status the API answers with when this error reaches it. */
  readonly status: number = 400;
  /** JSON Pointer (JSON input) or element path (XML input) of the offending field. */
  readonly pointer?: string;

  constructor(message: string, pointer?: string) {
    super(message);
    this.pointer = pointer;
  }

  /** The API body `{code, message, pointer?}`. */
  toJSON(): { code: string; message: string; pointer?: string } {
    // "" is a pointer too: the whole body (RFC 6901).
    return { code: this.name, message: this.message, ...(this.pointer !== undefined ? { pointer: this.pointer } : {}) };
  }
}

/** One problem found while validating a submission. */
export interface ValidationIssue {
  /** Catalogue code, `CWY-…`. */
  code: string;
  message: string;
  pointer: string;
}

/** A submission broke one or more validation rules; every issue is reported at once. */
export class ValidationError extends ClearwayError {
  readonly name = 'ValidationError';
  override readonly status = 422;
  constructor(readonly issues: ValidationIssue[]) {
    super(issues.map((i) => (i.pointer ? `${i.pointer}: ${i.message}` : i.message)).join('; '), issues[0]?.pointer);
  }
  override toJSON() {
    return { ...super.toJSON(), code: this.issues[0]?.code ?? this.name, errors: this.issues };
  }
}

/** The body could not be parsed at all (malformed JSON or XML, unsupported media type). */
export class MalformedInputError extends ClearwayError {
  readonly name = 'MalformedInput';
  override readonly status: number = 400;
}

/** The body's media type (Content-Type) is not one the endpoint accepts. */
export class UnsupportedMediaTypeError extends ClearwayError {
  readonly name = 'UnsupportedMediaType';
  override readonly status = 415;
}

/** The declaration (or a resource it names) does not exist, or the caller may not see it. */
export class NotFoundError extends ClearwayError {
  readonly name = 'NotFound';
  override readonly status = 404;
}

/** The request conflicts with the declaration's state (e.g. paying a released declaration). */
export class ConflictError extends ClearwayError {
  readonly name = 'Conflict';
  override readonly status = 409;
}

/** The same request is still being processed (a concurrent duplicate): retry shortly. */
export class RequestInProgressError extends ClearwayError {
  readonly name = 'RequestInProgress';
  override readonly status = 409;
}

/**
 * A trader reference (LRN) the declarant already used for another declaration: a resubmission
 * must be the same declaration (it is then answered with the first), a new one needs its own LRN.
 */
export class DuplicateReferenceError extends ClearwayError {
  readonly name = 'DuplicateReference';
  override readonly status = 409;
}

/** An `Idempotency-Key` sent again with a different request. */
export class IdempotencyKeyReusedError extends ClearwayError {
  readonly name = 'IdempotencyKeyReused';
  override readonly status = 422;
}

/**
 * The declaration moved on to a newer version (amended or cancelled) while work on an older one
 * was in flight. The workflow of the old version ends quietly on it (`Superseded`).
 */
export class VersionSupersededError extends ClearwayError {
  readonly name = 'VersionSuperseded';
  override readonly status = 409;
}

/** Reference data needed for a decision is missing for the declaration's date. */
export class ReferenceDataMissingError extends ClearwayError {
  readonly name = 'ReferenceDataMissing';
  override readonly status = 422;
}

/**
 * A post-clearance action the limitation clock in force no longer allows (关税法 Arts. 45–47, 51;
 * 进出口关税条例 2017 Arts. 51–52). Answered with its catalogue code (`CWY-AUD-…`) and the clock
 * that ran out; nothing is stored.
 */
export class LimitationExpiredError extends ClearwayError {
  readonly name = 'LimitationExpired';
  override readonly status = 422;
  constructor(
    readonly code: string,
    message: string,
    pointer: string,
    readonly clock: Record<string, unknown>,
  ) {
    super(message, pointer);
  }
  override toJSON() {
    return { ...super.toJSON(), code: this.code, clock: this.clock };
  }
}

/** A payment does not match the tax notice. */
export class PaymentMismatchError extends ClearwayError {
  readonly name = 'PaymentMismatch';
  override readonly status = 422;
}

/**
 * A request the declaration's state does not allow, answered 409 with its catalogue code (e.g.
 * `CWY-AMEND-009`: a correction of a declaration whose tax an audit has re-established). Nothing
 * is stored.
 */
export class CodedConflictError extends ClearwayError {
  readonly name: string = 'Conflict';
  override readonly status = 409;
  constructor(
    readonly code: string,
    message: string,
    pointer?: string,
  ) {
    super(message, pointer);
  }
  override toJSON() {
    return { ...super.toJSON(), code: this.code };
  }
}

/**
 * A payment the declaration's ledger does not call for, answered with its catalogue code
 * (`CWY-PAY-…`): e.g. its balance is owed back to the trader, which the customs pays out and no
 * bank pays in. Nothing is stored.
 */
export class PaymentNotDueError extends CodedConflictError {
  override readonly name = 'PaymentNotDue';
}

/**
 * The declaration breaks a rule that receipt checks against the reference data in force
 * (e.g. no tariff line for its commodity code on that date): answered like CDS DMSREJ.
 */
export class DeclarationRejectedError extends ClearwayError {
  readonly name = 'DeclarationRejected';
  override readonly status = 422;
  constructor(readonly issues: ValidationIssue[]) {
    super(issues.map((i) => `${i.code} ${i.pointer}: ${i.message}`).join('; '), issues[0]?.pointer);
  }
}

/** The request carries no valid credentials (the gateway let it through without verified claims). */
export class UnauthorizedError extends ClearwayError {
  readonly name = 'Unauthorized';
  override readonly status = 401;
}

/** The caller may not do this (e.g. approve a risk profile they wrote: four eyes). */
export class ForbiddenError extends ClearwayError {
  readonly name = 'Forbidden';
  override readonly status = 403;
}
