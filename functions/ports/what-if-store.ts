import type { WhatIfOutcome, WhatIfSummary } from '../domain/audit/what-if.js';

/** Which declarations a what-if replays: completed in a period, optionally one trader's, one HS chapter's, one channel's. */
export interface WhatIfSelection {
  from: string;
  to: string;
  traderId?: string;
  /** Two-digit HS chapter any goods item's commodity code starts with. */
  hsChapter?: string;
  /** The channel the declaration was screened to when it ran. */
  channel?: string;
}

/** A what-if campaign (issue 7): its selection, the reference data it tries, its progress and result. */
export interface WhatIfCampaign {
  id: string;
  selection: WhatIfSelection;
  /** The request's reference-data overrides, as received (validated at the API). */
  overrides: Record<string, unknown>;
  status: 'RUNNING' | 'DONE';
  createdAt: string;
  /** Declarations selected, once the selection step has run. */
  total?: number;
  /** Declarations replayed so far. */
  done: number;
  summary?: WhatIfSummary;
}

/** Where campaigns and their per-declaration outcomes are kept (not live declaration data). */
export interface WhatIfStore {
  create(campaign: WhatIfCampaign): Promise<void>;
  get(id: string): Promise<WhatIfCampaign | undefined>;
  setTotal(id: string, total: number): Promise<void>;
  /** Records one declaration's outcome; a retried replay of the same declaration counts once. */
  putOutcome(id: string, outcome: WhatIfOutcome): Promise<void>;
  outcomes(id: string): Promise<WhatIfOutcome[]>;
  finish(id: string, summary: WhatIfSummary): Promise<void>;
}
