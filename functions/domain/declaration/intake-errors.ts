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
  override toJSON() {
    return { ...super.toJSON(), code: this.issue.code };
  }
}

/** The body's Content-Type is not JSON or XML (415). */
export class UnsupportedSubmissionTypeError extends UnsupportedMediaTypeError {
  readonly issue: ValidationIssue;
  constructor(contentType: string) {
    const found = issue('CWY-MEDIA-001', '', { contentType });
    super(found.message);
    this.issue = found;
  }
  override toJSON() {
    return { ...super.toJSON(), code: this.issue.code };
  }
}
