import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AuditSelectionFile, AuditSelectionRule, selectForAudit, type AuditSelectionFacts } from '../../../functions/domain/audit/selection.js';
import { declaration, item } from '../risk/fixtures.js';
import { ROOT } from '../tax/support.js';

const SEED = 'audit-test-seed';
const rule = (changes: Partial<AuditSelectionRule> & Pick<AuditSelectionRule, 'id' | 'selection'>) =>
  AuditSelectionRule.parse({ version: 1, validFrom: '2024-01-01', rationale: 'test', source: 'test', caseDueMonths: 12, ...changes });
const facts = (changes: Partial<AuditSelectionFacts> = {}): AuditSelectionFacts => ({
  declarationId: 'decl-1',
  declaration: declaration(),
  releasedOn: '2025-05-20',
  channel: 'GREEN',
  creditClass: 'REGULAR',
  overrides: [],
  ...changes,
});
/** The keyed draw computed here independently: HMAC-SHA-256(seed, [id, rule id, version]), first 48 bits ÷ 2^48. */
const draw = (declarationId: string, ruleId: string, version: number) =>
  createHmac('sha256', SEED).update(JSON.stringify([declarationId, ruleId, version])).digest().readUIntBE(0, 6) / 2 ** 48;

describe('selectForAudit — rules and sampling in force on the release date', () => {
  it('a RULE selects every declaration its criteria hold for, and says why', () => {
    const chapter85 = rule({ id: 'AUDIT-HS85', criteria: [{ type: 'hsCode', prefixes: ['85'] }], selection: { kind: 'RULE' }, caseDueMonths: 6 });
    const selection = selectForAudit(facts(), [chapter85], SEED, []);
    expect(selection).toMatchObject({ selected: true, selectedBy: ['AUDIT-HS85@1'], evaluated: ['AUDIT-HS85@1'], dueOn: '2025-11-20' });
    expect(selection.outcomes[0].criteria[0].detail).toContain('85109000 is under 85');
    expect(selection.explanation).toContain('Selected for audit by AUDIT-HS85@1');
    expect(selectForAudit(facts({ declaration: declaration({ items: [item({ commodityCode: '94036000' })] }) }), [chapter85], SEED, []).selected).toBe(false);
  });

  it('by trader: a watch-listed importer', () => {
    const watch = rule({ id: 'AUDIT-WATCH', criteria: [{ type: 'watchListedParty', roles: ['importer'], parties: [{ id: 'GB553202734852' }] }], selection: { kind: 'RULE' } });
    expect(selectForAudit(facts(), [watch], SEED, []).selected).toBe(true);
    expect(selectForAudit(facts({ declaration: declaration({ importer: { id: 'GB999999999999' } }) }), [watch], SEED, []).selected).toBe(false);
  });

  it('a SAMPLE draws with the keyed hash of declaration id, rule id and version', () => {
    const sample = rule({ id: 'AUDIT-SAMPLE', selection: { kind: 'SAMPLE', rate: '0.5' } });
    for (const declarationId of ['decl-1', 'decl-2', 'decl-3', 'decl-4']) {
      const expected = draw(declarationId, 'AUDIT-SAMPLE', 1);
      const { outcomes, selected } = selectForAudit(facts({ declarationId }), [sample], SEED, []);
      expect(outcomes[0].draw).toEqual({ value: expected, rate: '0.5', weight: '1', threshold: 0.5, selected: expected < 0.5 });
      expect(selected).toBe(expected < 0.5);
    }
  });

  it('weighs the rate by the engine\'s channel, the credit class and an officer\'s override, capped at 1', () => {
    const weighted = rule({
      id: 'AUDIT-SAMPLE',
      selection: { kind: 'SAMPLE', rate: '0.05', riskWeights: { channel: { RED: '2' }, creditClass: { DISTRUSTED: '4', ADVANCED_CERTIFIED: '0.2' }, officerOverride: '4' } },
    });
    const threshold = (f: Partial<AuditSelectionFacts>) => selectForAudit(facts(f), [weighted], SEED, []).outcomes[0].draw!;
    expect(threshold({})).toMatchObject({ weight: '1', threshold: 0.05 });
    expect(threshold({ channel: 'RED' })).toMatchObject({ weight: '2', threshold: 0.1 });
    expect(threshold({ creditClass: 'ADVANCED_CERTIFIED' })).toMatchObject({ weight: '0.2', threshold: 0.01 });
    // 0.05 × 2 × 4 × 4 = 1.6 → 1: always selected.
    expect(threshold({ channel: 'RED', creditClass: 'DISTRUSTED', overrides: ['RELEASED_WITHOUT_DISCREPANCY'] })).toMatchObject({ weight: '32', threshold: 1, selected: true });
  });

  it('uses only rules in force on the release date (validTo inclusive) and in scope', () => {
    const old = rule({ id: 'AUDIT-OLD', validTo: '2025-05-19', selection: { kind: 'RULE' } });
    const cnOnly = rule({ id: 'AUDIT-CN', scope: { jurisdictions: ['CN'] }, selection: { kind: 'RULE' } });
    expect(selectForAudit(facts(), [old, cnOnly], SEED, [])).toMatchObject({ selected: false, evaluated: [] });
    expect(selectForAudit(facts({ releasedOn: '2025-05-19' }), [old], SEED, []).selected).toBe(true);
  });

  it('is due after the shortest caseDueMonths of the selecting rules, never after a legal deadline', () => {
    const six = rule({ id: 'AUDIT-A', selection: { kind: 'RULE' }, caseDueMonths: 6 });
    const twelve = rule({ id: 'AUDIT-B', selection: { kind: 'RULE' }, caseDueMonths: 12 });
    expect(selectForAudit(facts(), [six, twelve], SEED, ['2028-05-20']).dueOn).toBe('2025-11-20');
    expect(selectForAudit(facts(), [twelve], SEED, ['2028-05-20']).dueOn).toBe('2026-05-20');
    // A no-fault recovery clock ending first (a year under the 条例) brings the case forward.
    expect(selectForAudit(facts(), [twelve], SEED, ['2028-05-20', '2026-03-02']).dueOn).toBe('2026-03-02');
    expect(selectForAudit(facts(), [], SEED, ['2028-05-20'])).not.toHaveProperty('dueOn');
  });
});

describe('reference-data/audit/selection.json', () => {
  const { rules } = AuditSelectionFile.parse(JSON.parse(readFileSync(join(ROOT, 'reference-data/audit/selection.json'), 'utf8')));
  const cn = (changes: object) =>
    declaration({
      jurisdiction: 'CN', declarant: { id: '91310115MA1FL5G29G' }, importer: { id: '91310115MA1FL5G29G' }, invoiceCurrency: 'USD', payment: { method: 'IMMEDIATE' }, ...changes,
    });

  it('audits every CN import that declares royalties payable (关税法 Art. 25(5))', () => {
    const royalties = cn({ valuationConfirmations: { specialRelationship: false, priceInfluence: false, royaltiesPayable: true } });
    expect(selectForAudit(facts({ declaration: royalties }), rules, SEED, [])).toMatchObject({ selected: true, dueOn: '2025-11-20' });
    expect(selectForAudit(facts({ declaration: royalties }), rules, SEED, []).selectedBy).toContain('AUDIT-CN-ROYALTIES@1');
  });

  it('keeps AUDIT-SAMPLE@1 drawing as the sampling rule before it did (same key), risk-weighted', () => {
    const sample = selectForAudit(facts(), rules, SEED, []).outcomes.find((o) => o.rule === 'AUDIT-SAMPLE@1')!;
    expect(sample.draw).toMatchObject({ value: draw('decl-1', 'AUDIT-SAMPLE', 1), rate: '0.05', threshold: 0.05 });
  });

  it('rejects two versions of one rule in force on the same day', () => {
    const twice = { kind: 'audit-selection', rules: [rules[0], { ...rules[0], version: 2 }] };
    expect(() => AuditSelectionFile.parse(twice)).toThrow(/both in force/);
  });
});
