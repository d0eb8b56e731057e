import { describe, expect, it } from 'vitest';
import { paymentDeadline, pickInForce, selectReferenceDate, type PaymentDeadlineRule } from '../../../functions/domain/tax/index.js';
import { jurisdictionCalendar } from '../../../functions/domain/payment/index.js';
import { shippedCatalog } from '../tax/support.js';
import { cnCalendar, shippedCalendars } from './support.js';

const { isWorkingDay, isTradingDay } = cnCalendar();
const rule = (completedOn: string) =>
  pickInForce(shippedCatalog().rules, completedOn, (r) => r.rule === 'payment-deadline' && r.jurisdiction === 'CN') as PaymentDeadlineRule;

describe('the CN working-day calendar (国办发明电〔2024〕12号 for 2025, 〔2023〕7号 for 2024)', () => {
  it('closes the Spring Festival 2025-01-28 … 2025-02-04 and opens the make-up Sundays and Saturdays 01-26, 02-08', () => {
    for (const day of ['2025-01-28', '2025-01-29', '2025-01-31', '2025-02-03', '2025-02-04']) expect(isWorkingDay(day)).toBe(false);
    expect(isWorkingDay('2025-01-26')).toBe(true);
    expect(isWorkingDay('2025-02-08')).toBe(true);
    expect(isWorkingDay('2025-02-05')).toBe(true);
  });

  it('closes National Day and Mid-Autumn 2025-10-01 … 10-08 and opens Sunday 09-28 and Saturday 10-11', () => {
    expect(isWorkingDay('2025-10-08')).toBe(false);
    expect(isWorkingDay('2025-09-28')).toBe(true);
    expect(isWorkingDay('2025-10-11')).toBe(true);
  });

  it('keeps 2024 apart: 2024-10-01 … 10-07 closed, Saturday 2024-10-12 a working day', () => {
    expect(isWorkingDay('2024-10-07')).toBe(false);
    expect(isWorkingDay('2024-10-12')).toBe(true);
  });

  it('does not open the interbank market on make-up weekend working days', () => {
    expect(isTradingDay('2025-09-28')).toBe(false);
    expect(isTradingDay('2025-10-08')).toBe(false);
    expect(isTradingDay('2025-10-09')).toBe(true);
  });

  it('falls back to Monday–Friday for a jurisdiction or year without a published calendar', () => {
    const gb = jurisdictionCalendar(shippedCalendars(), 'GB');
    expect(gb.isWorkingDay('2025-12-25')).toBe(true);
    expect(gb.isWorkingDay('2025-12-27')).toBe(false);
  });
});

describe('payment deadlines on the CN calendar (民法典 Art. 203: a period ending on a holiday ends the day after it)', () => {
  it('moves a deadline falling in the Spring Festival to the first working day after it', () => {
    // Completed 2025-01-20; 15 days → 2025-02-04 (春节 holiday) → Wed 2025-02-05.
    expect(paymentDeadline('2025-01-20', undefined, rule('2025-01-20'), isWorkingDay)).toBe('2025-02-05');
  });

  it('moves a deadline falling in the National Day week past the whole holiday', () => {
    // Completed 2025-09-16; 15 days → 2025-10-01 → the holiday runs to 10-08 → Thu 2025-10-09.
    expect(paymentDeadline('2025-09-16', undefined, rule('2025-09-16'), isWorkingDay)).toBe('2025-10-09');
  });

  it('does not move a deadline on a make-up Saturday, which is a working day', () => {
    // Completed 2025-09-26; 15 days → Sat 2025-10-11, a working day under the notice.
    expect(paymentDeadline('2025-09-26', undefined, rule('2025-09-26'), isWorkingDay)).toBe('2025-10-11');
  });
});

describe('the FX reference date on the trading calendar (GACC Order 272 Arts. 13–14: the next trading day)', () => {
  it('skips a holiday that the weekday calendar alone would have counted', () => {
    // A calendar closing the third Wednesday of 2025-09 (09-17) sends a 2025-10 declaration to Thursday 09-18.
    const closed = jurisdictionCalendar(
      [{ kind: 'working-calendar', jurisdiction: 'CN', year: 2025, source: 'test', holidays: ['2025-09-17'], workingWeekends: [] }],
      'CN',
    );
    expect(selectReferenceDate('2025-10-20', closed.isTradingDay, 'NEXT_TRADING_DAY')).toBe('2025-09-18');
    expect(selectReferenceDate('2025-10-20', isTradingDay, 'NEXT_TRADING_DAY')).toBe('2025-09-17');
  });
});
