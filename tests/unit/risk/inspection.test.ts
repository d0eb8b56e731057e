import { describe, expect, it } from 'vitest';
import type { ValidationError } from '../../../functions/domain/errors.js';
import { refusal } from '../../support/refusal.js';
import { OfficerDecision, applyFindings, changesTaxBinding, workflowOutcome } from '../../../functions/domain/risk/index.js';
import { declaration, item } from './fixtures.js';

const inspection = (result: string, findings: unknown[] = []) =>
  OfficerDecision.parse({ decision: 'INSPECTION_RESULT', officer: 'o-1', result, findings });

describe('OfficerDecision', () => {
  it('accepts the walking skeleton decisions unchanged', () => {
    expect(OfficerDecision.parse({ decision: 'RELEASE', officer: 'o-1' })).toEqual({ decision: 'RELEASE', officer: 'o-1' });
    expect(OfficerDecision.parse({ decision: 'REJECT', officer: 'o-1', reason: 'licence missing' }).decision).toBe('REJECT');
  });

  it('requires findings for a discrepancy and none without one', () => {
    expect(OfficerDecision.safeParse({ decision: 'INSPECTION_RESULT', officer: 'o-1', result: 'DISCREPANCY', findings: [] }).success).toBe(false);
    expect(OfficerDecision.safeParse({
      decision: 'INSPECTION_RESULT', officer: 'o-1', result: 'NO_DISCREPANCY', findings: [{ type: 'origin', item: 1, origin: 'CN' }],
    }).success).toBe(false);
  });

  it('takes attachment metadata, not files', () => {
    const parsed = OfficerDecision.safeParse({ decision: 'RELEASE', officer: 'o-1', attachments: [{ name: 'photo.jpg', mediaType: 'image/jpeg', sizeBytes: 1, content: 'AAAA' }] });
    expect(parsed.success).toBe(false);
  });
});

describe('workflowOutcome', () => {
  it('releases on RELEASE and on an inspection without discrepancy, rejects on REJECT', () => {
    expect(workflowOutcome(OfficerDecision.parse({ decision: 'RELEASE', officer: 'o-1' }))).toBe('RELEASE');
    expect(workflowOutcome(inspection('NO_DISCREPANCY'))).toBe('RELEASE');
    expect(workflowOutcome(OfficerDecision.parse({ decision: 'REJECT', officer: 'o-1' }))).toBe('REJECT');
  });

  it('amends on findings, seizes when any finding is prohibited goods', () => {
    expect(workflowOutcome(inspection('DISCREPANCY', [{ type: 'value', item: 1, invoiceAmount: '2000' }]))).toBe('AMEND');
    expect(workflowOutcome(inspection('DISCREPANCY', [
      { type: 'value', item: 1, invoiceAmount: '2000' }, { type: 'prohibitedGoods', item: 1, description: 'ivory' },
    ]))).toBe('SEIZE');
  });

  it('keeps the workflow waiting while documents are requested', () => {
    expect(workflowOutcome(OfficerDecision.parse({ decision: 'REQUEST_DOCUMENTS', officer: 'o-1', documents: [{ type: 'N935' }] }))).toBeNull();
  });
});

describe('applyFindings', () => {
  const declared = declaration({
    items: [
      item({ sequence: 1, quantity: { value: '100', unit: 'PCE' }, statutoryQuantity: { value: '10', unit: 'KGM' }, netMassKg: '10', grossMassKg: '12' }),
      item({ sequence: 2, commodityCode: '85101000', invoiceAmount: '500' }),
    ],
  });

  it('replaces the value, classification and origin of the item each finding names', () => {
    const found = applyFindings(declared, [
      { type: 'value', item: 2, invoiceAmount: '900' },
      { type: 'classification', item: 2, commodityCode: '85102000' },
      { type: 'origin', item: 1, origin: 'CN' },
    ]);
    expect(found.items[1]).toMatchObject({ invoiceAmount: '900', commodityCode: '85102000', origin: 'US' });
    expect(found.items[0]).toMatchObject({ origin: 'CN', invoiceAmount: '1000' });
  });

  it('scales value, statutory quantity and masses with a quantity finding, keeping the unit price', () => {
    // 150 found of 100 declared at GBP 10 each: GBP 1500, 15 kg statutory, 15 kg net, 18 kg gross.
    const [first] = applyFindings(declared, [{ type: 'quantity', item: 1, found: '150' }]).items;
    expect(first).toMatchObject({
      quantity: { value: '150', unit: 'PCE' }, invoiceAmount: '1500.00', statutoryQuantity: { value: '15', unit: 'KGM' }, netMassKg: '15', grossMassKg: '18',
    });
  });

  it('leaves the declaration as declared (it is the record of what the trader said)', () => {
    applyFindings(declared, [{ type: 'value', item: 1, invoiceAmount: '1' }]);
    expect(declared.items[0]!.invoiceAmount).toBe('1000');
  });

  it('refuses a finding on an item the declaration does not have, or a quantity nobody declared, pointing at the finding', () => {
    const refused = (run: () => unknown) => refusal<ValidationError>(run).toJSON();
    expect(refused(() => applyFindings(declared, [{ type: 'origin', item: 3, origin: 'CN' }]))).toMatchObject({ code: 'CWY-REQ-004', pointer: '/findings/0/item' });
    expect(refused(() => applyFindings(declared, [{ type: 'value', item: 1, invoiceAmount: '1' }, { type: 'quantity', item: 2, found: '5' }]))).toMatchObject({
      code: 'CWY-REQ-004',
      pointer: '/findings/1/found',
    });
  });

  it('binds the tariff afresh only when the commodity code or origin changes', () => {
    expect(changesTaxBinding([{ type: 'value', item: 1, invoiceAmount: '1' }, { type: 'quantity', item: 1, found: '1' }])).toBe(false);
    expect(changesTaxBinding([{ type: 'origin', item: 1, origin: 'CN' }])).toBe(true);
  });
});
