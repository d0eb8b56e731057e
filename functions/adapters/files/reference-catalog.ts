import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { buildIntakeReference, countryCodesFromCsv, currencyCodesFromCsv, type IntakeReference } from '../../domain/declaration/index.js';
import { AuditSelectionFile, type AuditSelectionRule } from '../../domain/audit/selection.js';
import { LaneSet, RiskProfileSet, type Lane, type RiskProfile } from '../../domain/risk/index.js';
import { catalogFromFiles, type TaxCatalog } from '../../domain/tax/index.js';
import { SecurityAccountFile, WorkingCalendarFile, type SecurityAccount } from '../../domain/payment/index.js';
import { sandboxDependencies } from '../../shared/sandbox.js';

/** Everything the decisions need from `reference-data/`, loaded and validated once per container. */
export interface ReferenceCatalog {
  intake: IntakeReference;
  tax: TaxCatalog;
  risk: { profiles: RiskProfile[]; lanes: Lane[]; seed: string };
  /** Post-clearance audit selection rules (`reference-data/audit/selection.json`). */
  auditSelection: AuditSelectionRule[];
  /** Guarantee and deferment accounts, and the published working-day calendars. */
  payment: { accounts: SecurityAccount[]; calendars: WorkingCalendarFile[] };
}

let cached: ReferenceCatalog | undefined;

/**
 * The reference catalog from `CLEARWAY_REFERENCE_DATA_DIR` (default `reference-data` in the
 * working directory: the repository locally, the bundle root on Lambda where the CDK copies it).
 * Effective-dated and versioned: callers pick the versions in force on a declaration's date.
 * A replay sandbox supplies its own (pinned to a declaration's binding, or a what-if's versions).
 */
export function referenceCatalog(): ReferenceCatalog {
  const sandboxed = sandboxDependencies()?.referenceCatalog;
  if (sandboxed) return sandboxed;
  cached ??= loadReferenceCatalog(resolve(process.env.CLEARWAY_REFERENCE_DATA_DIR ?? 'reference-data'));
  return cached;
}

/** Loads and validates the catalog under `dir`; a malformed file fails loudly at cold start. */
export function loadReferenceCatalog(dir: string): ReferenceCatalog {
  const text = (...path: string[]) => readFileSync(join(dir, ...path), 'utf8');
  const jsonFiles = (folder: string) =>
    readdirSync(join(dir, folder))
      .filter((name) => name.endsWith('.json'))
      .sort()
      .map((name) => JSON.parse(text(folder, name)) as unknown);

  const profiles = RiskProfileSet.parse(JSON.parse(text('risk', 'profiles.json')));
  const seed = process.env.CLEARWAY_SELECTION_SEED ?? profiles.defaultSeed;
  if (!seed) throw new Error('No selection seed: set CLEARWAY_SELECTION_SEED');
  return {
    intake: buildIntakeReference(
      text('hs2022', 'hs2022-harmonized-system.csv'),
      text('code-tables', 'cn-declaration-code-tables.csv'),
      currencyCodesFromCsv(text('code-tables', 'iso4217-currencies.csv')),
      countryCodesFromCsv(text('code-tables', 'iso3166-countries.csv')),
    ),
    tax: catalogFromFiles([...jsonFiles('tariff'), ...jsonFiles('fx'), ...jsonFiles('tax-rules')]),
    risk: {
      profiles: profiles.profiles,
      lanes: LaneSet.parse(JSON.parse(text('risk', 'lanes.json'))).lanes,
      seed,
    },
    auditSelection: AuditSelectionFile.parse(JSON.parse(text('audit', 'selection.json'))).rules,
    payment: {
      accounts: jsonFiles('accounts').flatMap((file) => SecurityAccountFile.parse(file).records),
      calendars: jsonFiles('calendar').map((file) => WorkingCalendarFile.parse(file)),
    },
  };
}
