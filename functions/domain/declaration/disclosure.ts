/**
 * What a declarant may see of its own declaration. Controls only work unannounced (WCO Risk
 * Management Compendium: selection criteria are confidential; 海关稽查条例 leaves the audit
 * notice to when the audit begins): a trader learns its channel — a control is notified anyway —
 * and every assessment it must pay, never why it was selected nor that it was picked for a
 * post-clearance audit or what the auditors found before they assess.
 */
const INTERNAL_EVENTS = new Set(['RiskScreened', 'AuditSelectionMade', 'AuditCaseOpened', 'AuditFindingsRecorded', 'AuditCaseClosed']);

/** True for a history event that stays inside the customs administration (so does the view's `auditSelected`). */
export const isInternalEvent = (type: string): boolean => INTERNAL_EVENTS.has(type);
