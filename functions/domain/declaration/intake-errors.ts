import { MalformedInputError, UnsupportedMediaTypeError, type ValidationIssue } from '../errors.js';
import { issue, type CatalogueCode, type MessageParams } from './errors-catalogue.js';

/**
 * The errors intake throws before any rule can run. They keep the stable error `name`
 * (`MalformedInput`, `UnsupportedMediaType` — the Step Functions and API contract) and add the
 * catalogue code, which the API body carries as `code`, as `ValidationError` already does.
 */

/** The body could not be read: malformed or hostile JSON/XML (400), or over the size limit (413). */
export class MalformedSubmissionError extends MalformedInputError {
  readonly issue: ValidationIssue;
  override readonly status: number;
  constructor(code: CatalogueCode, params: MessageParams = {}, pointer = '') {
    const found = issue(code, pointer, params);
    super(found.message, pointer || undefined);
    this.issue = found;
    this.status = code === 'CWY-INPUT-001' ? 413 : 400;
  }
  /** `{code, message, pointer, errors}` as for a validation error: the pointer `""` is the whole body. */
  override toJSON() {
    return withIssue(super.toJSON(), this.issue);
  }
}

/**
 * The body's Content-Type is not one the route reads (415): JSON or XML for a declaration or an
 * additional message (CWY-MEDIA-001), JSON for every other request body (CWY-MEDIA-002).
 */
export class UnsupportedSubmissionTypeError extends UnsupportedMediaTypeError {
  readonly issue: ValidationIssue;
  constructor(contentType: string, code: 'CWY-MEDIA-001' | 'CWY-MEDIA-002' = 'CWY-MEDIA-001') {
    const found = issue(code, '', { contentType });
    super(found.message);
    this.issue = found;
  }
  override toJSON() {
    return withIssue(super.toJSON(), this.issue);
  }
}

function withIssue(body: { code: string; message: string; pointer?: string }, found: ValidationIssue) {
  return { ...body, code: found.code, pointer: found.pointer, errors: [found] };
}
