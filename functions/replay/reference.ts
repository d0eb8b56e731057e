import type { ReferenceCatalog } from '../adapters/files/reference-catalog.js';
import type { ProfileVersion, RiskProfile } from '../domain/risk/index.js';
import { referenceVersions, type TaxBinding, type TaxCatalog } from '../domain/tax/index.js';

/**
 * Reference data other than what a declaration was bound to, for a what-if: reference-data files
 * (`{kind, records}` as in `reference-data/`) whose records replace every version of the same
 * id, and/or a risk profile set replacing the profiles in force.
 */
export interface ReferenceOverrides {
  tax?: TaxCatalog;
  riskProfiles?: RiskProfile[];
}

type Slot = keyof TaxCatalog;
const SLOTS: Slot[] = ['tariffLines', 'consumptionTax', 'vatRates', 'fxRates', 'rules'];
const idOf = (ref: string) => ref.slice(0, ref.lastIndexOf('@'));

/**
 * The catalog a replay runs on: the records the bindings pinned are the only versions of their
 * ids (so a correction published since cannot change the replay) — every version's binding, as
 * an amended version binds afresh what it now declares — then the what-if's records, each
 * replacing its id outright.
 */
export function sandboxCatalog(live: ReferenceCatalog, bindings: readonly TaxBinding[], overrides: ReferenceOverrides = {}): ReferenceCatalog {
  const pins = new Map<string, Set<string>>();
  for (const ref of bindings.flatMap(referenceVersions)) pins.set(idOf(ref), (pins.get(idOf(ref)) ?? new Set()).add(ref));
  const tax = {} as TaxCatalog;
  for (const slot of SLOTS) {
    const replaced = new Set((overrides.tax?.[slot] ?? []).map((r) => r.id));
    const kept = (live.tax[slot] as { id: string; version: number }[]).filter((r) => {
      if (replaced.has(r.id)) return false;
      const pinned = pins.get(r.id);
      return pinned === undefined || pinned.has(`${r.id}@${r.version}`);
    });
    (tax as unknown as Record<Slot, unknown[]>)[slot] = [...kept, ...(overrides.tax?.[slot] ?? [])];
  }
  return {
    ...live,
    tax,
    risk: { ...live.risk, profiles: overrides.riskProfiles ?? live.risk.profiles },
  };
}

/**
 * The profile versions screening saw: those approved by the time it ran (`screenedAt`). A what-if
 * with its own profile set sees none, so the set it brings applies.
 */
export function sandboxProfileVersions(live: readonly ProfileVersion[], screenedAt: string | undefined, overrides: ReferenceOverrides = {}): ProfileVersion[] {
  if (overrides.riskProfiles) return [];
  return live.filter((v) => v.status === 'APPROVED' && (!screenedAt || (v.approvedAt ?? '') <= screenedAt));
}
