/** Receipt / intake: the canonical model, reading JSON and WCO DMS 3.6 XML, and the receipt rules. */
export * from './model.js';
export { ERROR_CATALOGUE, catalogueMessage, issue, type CatalogueCode, type MessageParams } from './errors-catalogue.js';
export { MalformedSubmissionError, UnsupportedSubmissionTypeError } from './intake-errors.js';
export { XML_LIMITS, parseSafeXml, type XmlElement } from './safe-xml.js';
export { parseWcoMessage, type WcoMessage, type WcoDeclarationMessage } from './wco-xml.js';
export type { WcoAmendment, WcoCancellation, WcoChange, WcoPointerSection } from './wco-additional-messages.js';
export { wcoElementPath } from './wco-element-paths.js';
export {
  MAX_SUBMISSION_BYTES,
  parseSubmission,
  parseAndValidateSubmission,
  readSubmission,
  type ReadSubmission,
} from './parse-submission.js';
export { validateDeclaration } from './validate.js';
export { buildIntakeReference, countryCodesFromCsv, currencyCodesFromCsv, readCsvRecords, type IntakeReference } from './intake-reference.js';
export { isGbEori, isUsccFormat, usccCheckCharacter } from './party-identifiers.js';
export {
  AdditionalMessageDecision,
  AmendmentRequest,
  CancellationRequest,
  ChangeReasonCode,
  DeclarationChange,
  amendDeclaration,
  changesFromWco,
  checkMessageTarget,
  routeAdditionalMessage,
  type AdditionalMessageRoute,
} from './additional-messages.js';
export { isCustomsClearanceRequest } from './categories.js';
export { isInternalEvent } from './disclosure.js';
export { isCurrentVersion } from './version.js';
