/** Risk screening: versioned profiles as data, lanes, deterministic random selection (issue 6). */
export {
  CHANNEL_SEVERITY,
  Channel,
  CreditClass,
  Criterion,
  RiskProfile,
  RiskProfileSet,
  Scope,
  Selection,
  inForce,
} from './profile.js';
export { Lane, LaneSet, laneFor } from './lane.js';
export { ReferencePrice, evaluate, type MatchedCriterion, type ScreeningFacts } from './criteria.js';
export { selectionDraw } from './draw.js';
export { inScope, screenDeclaration, type Draw, type ProfileHit, type SampleOutcome, type ScreeningContext, type ScreeningResult } from './screen.js';
export {
  OFFICER_DEADLINE_SECONDS,
  WorkItemStatus,
  WorkQueue,
  checkDecisionFits,
  openRequestWorkItem,
  openWorkItem,
  queueFor,
  summarise,
  type AdditionalMessageRequest,
  type DeclarationSummary,
  type WorkItem,
} from './work-item.js';
export { Attachment, Finding, OfficerDecision, applyFindings, assessOnFindings, changesTaxBinding, workflowOutcome, type WorkflowOutcome } from './inspection.js';
export { decisionsInHistory, type OfficerDecisionLog } from './decision-log.js';
export { measureRisk, type ChannelMeasure, type ProfileMeasure, type RiskEvent, type RiskReport } from './measure.js';
export { ProfileDraft, approveVersion, draftVersion, effectiveProfiles, knownVersions, profileSet, type ProfileVersion } from './administration.js';
