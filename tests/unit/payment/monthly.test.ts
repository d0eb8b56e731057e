import { describe, expect, it } from 'vitest';
import { monthlyBatchDeadline, statementPeriod, taxNoticeDue } from '../../../functions/domain/payment/index.js';
import { bindTaxReference, resolveBinding, type TaxCatalog } from '../../../functions/domain/tax/index.js';
import { Declaration } from '../../../functions/domain/declaration/model.js';
import { shippedCatalog, ROOT } from '../tax/support.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cnCalendar } from './support.js';

const { isWorkingDay } = cnCalendar();
const catalog: TaxCatalog = shippedCatalog();
const cnyDeclaration = Declaration.parse({ ...JSON.parse(readFileSync(join(ROOT, 'examples/cn/CN-1.json'), 'utf8')), invoiceCurrency: 'CNY' });
const rulesOn = (completedOn: string) => resolveBinding(bindTaxReference(cnyDeclaration, completedOn, catalog), catalog).rules;

describe('monthly batch payment — by the end of the fifth working day of the next month (关税法 Art. 43 para 1)', () => {
  it('counts the fifth working day of February 2025 past the Spring Festival and its make-up Saturday', () => {
    // 02-05 Wed, 02-06 Thu, 02-07 Fri, 02-08 Sat (make-up working day), 02-10 Mon.
    expect(monthlyBatchDeadline('2025-01-15', 5, isWorkingDay)).toBe('2025-02-10');
  });

  it('counts the fifth working day of October 2025 after the eight-day holiday', () => {
    // 10-09 Thu, 10-10 Fri, 10-11 Sat (make-up), 10-13 Mon, 10-14 Tue.
    expect(monthlyBatchDeadline('2025-09-16', 5, isWorkingDay)).toBe('2025-10-14');
  });

  it('skips the Dragon Boat holiday at the start of June 2025', () => {
    // 06-01 Sun and 06-02 Mon are holidays: 06-03, 04, 05, 06, then Mon 06-09.
    expect(monthlyBatchDeadline('2025-05-20', 5, isWorkingDay)).toBe('2025-06-09');
  });

  it('goes to the statement of the month the declaration was completed in', () => {
    expect(statementPeriod('2025-09-16')).toBe('2025-09');
  });

  it('is a rule in force from 2024-12-01 only, pinned like every legal clock', () => {
    expect(taxNoticeDue(true, '2025-09-16', '2025-09-16', rulesOn('2025-09-16'), isWorkingDay)).toEqual({
      deadline: '2025-10-14', rule: 'CN/rule/monthly-payment-deadline@1',
    });
    expect(() => taxNoticeDue(true, '2024-11-20', '2024-11-20', rulesOn('2024-11-20'), isWorkingDay)).toThrow(/monthly batch/);
  });

  it('leaves the 15-day period to every other notice', () => {
    expect(taxNoticeDue(false, '2025-09-16', '2025-09-16', rulesOn('2025-09-16'), isWorkingDay)).toEqual({
      deadline: '2025-10-09', rule: 'CN/rule/payment-deadline@2',
    });
  });
});
