import { describe, expect, it } from 'vitest';
import { isCustomsClearanceRequest } from '../../../functions/domain/declaration/categories.js';
import { isDutiable, parseAndValidateSubmission, type DeclarationInput } from '../../../functions/domain/declaration/index.js';
import { ValidationError } from '../../../functions/domain/errors.js';
import { gbDeclaration, intakeReference, wcoSample } from './fixtures.js';

/**
 * The customs clearance request for inventory imports (UK CDS "C21i", DE 1/2 J or K): its data
 * set (CDS Volume 3, Appendix 23A/23B) asks for no item price or invoice currency, and HMRC
 * answers its own sample TT_IM011a — no commodity code, origin or price — with DMSRCV.
 */
const withoutValuation = (typeCode: string): DeclarationInput => {
  const declaration = gbDeclaration();
  const { commodityCode: _c, origin: _o, invoiceAmount: _a, ...item } = declaration.items[0];
  const { invoiceCurrency: _i, ...rest } = declaration;
  return { ...rest, typeCode, items: [item] } as DeclarationInput;
};
const submit = (declaration: unknown) => parseAndValidateSubmission(JSON.stringify(declaration), 'application/json', intakeReference());

describe('customs clearance requests (C21i)', () => {
  it('are the GB import declarations of additional type J or K', () => {
    expect(isCustomsClearanceRequest({ jurisdiction: 'GB', typeCode: 'IMK' })).toBe(true);
    expect(isCustomsClearanceRequest({ jurisdiction: 'GB', typeCode: 'IMJ' })).toBe(true);
    for (const typeCode of ['IMA', 'IMD', 'IMF', 'IMZ', 'EXK']) expect(isCustomsClearanceRequest({ jurisdiction: 'GB', typeCode })).toBe(false);
    expect(isCustomsClearanceRequest({ jurisdiction: 'CN', typeCode: 'IMK' })).toBe(false);
  });

  it('accepts HMRC\'s TT_IM011a (IMK) as sent, and it is not dutiable', () => {
    const declaration = parseAndValidateSubmission(wcoSample('TT_IM011a/TT_IM011a.xml'), 'application/xml', intakeReference());
    expect(declaration.typeCode).toBe('IMK');
    expect(isDutiable(declaration)).toBe(false);
  });

  it('accepts canonical JSON without price, currency, classification or origin', () => {
    expect(isDutiable(submit(withoutValuation('IMK')))).toBe(false);
  });

  it('still refuses a standard declaration without them, naming every missing element', () => {
    try {
      submit(withoutValuation('IMA'));
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).issues.map(({ code, pointer }) => [code, pointer])).toEqual([
        ['CWY-SCHEMA-001', '/invoiceCurrency'],
        ['CWY-SCHEMA-001', '/items/0/commodityCode'],
        ['CWY-SCHEMA-001', '/items/0/origin'],
        ['CWY-SCHEMA-001', '/items/0/invoiceAmount'],
      ]);
    }
  });

  it('checks what a clearance request does declare: a commodity code must exist in HS 2022', () => {
    const declaration = { ...withoutValuation('IMK'), items: [{ ...withoutValuation('IMK').items[0], commodityCode: '99999999' }] };
    expect(() => submit(declaration)).toThrow(/CWY-HS-001|does not exist/);
  });
});
