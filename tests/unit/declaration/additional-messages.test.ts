import { describe, expect, it } from 'vitest';
import {
  amendDeclaration,
  changesFromWco,
  parseAndValidateSubmission,
  parseWcoMessage,
  routeAdditionalMessage,
  type WcoAmendment,
} from '../../../functions/domain/declaration/index.js';
import { ConflictError, ValidationError } from '../../../functions/domain/errors.js';
import { ledgerEntry, outstandingAssessment, postToLedger, withdrawalEntries } from '../../../functions/domain/payment/index.js';
import { intakeReference, wcoSample } from './fixtures.js';

const declarationOf = (path: string) => parseAndValidateSubmission(wcoSample(path), 'application/xml', intakeReference());
const amendmentOf = (path: string) => parseWcoMessage(wcoSample(path)) as WcoAmendment;
const TT_IM001A = () => declarationOf('TT_IM001a/Step1_TT_IM001a.xml');

describe('amendments as JSON Patch on the canonical declaration', () => {
  it('replaces, adds and removes, and validates the result like a submission', () => {
    const amended = amendDeclaration(
      TT_IM001A(),
      [
        { op: 'replace', path: '/items/0/invoiceAmount', value: '999' },
        { op: 'add', path: '/items/0/documents/-', value: { type: 'N935', id: 'INV-1' } },
        { op: 'remove', path: '/containers/0' },
      ],
      intakeReference(),
    );
    expect(amended.items[0].invoiceAmount).toBe('999');
    expect(amended.items[0].documents.at(-1)).toEqual({ type: 'N935', id: 'INV-1' });
    expect(amended.containers).toEqual([]);
  });

  it('never edits the version it amends (versions are immutable)', () => {
    const current = TT_IM001A();
    amendDeclaration(current, [{ op: 'replace', path: '/items/0/invoiceAmount', value: '1' }], intakeReference());
    expect(current.items[0].invoiceAmount).toBe('1000');
  });

  it('answers a schema problem of the result with its code, pointed in the sender\'s dialect', () => {
    const error = (() => {
      try {
        amendDeclaration(TT_IM001A(), [{ op: 'replace', path: '/items/0/invoiceAmount', value: 'ten' }], intakeReference(), (p) => `xml:${p}`);
      } catch (e) {
        return e as ValidationError;
      }
    })();
    expect(error?.issues.map(({ code, pointer }) => [code, pointer])).toEqual([['CWY-SCHEMA-003', 'xml:/items/0/invoiceAmount']]);
  });
});

describe('HMRC additional messages as changes', () => {
  it('TT_IM002b: item 1 price to 999 in the invoice currency', () => {
    expect(changesFromWco(amendmentOf('TT_IM002b/TT_IM002b_Amendment.xml'), TT_IM001A())).toEqual([
      { op: 'replace', path: '/items/0/invoiceAmount', value: '999' },
    ]);
  });

  it('TT_IM003a and TT_IM011a: item 1 net mass to 2.1 kg and 62 kg', () => {
    expect(changesFromWco(amendmentOf('TT_IM003a/TT_IM003a_Amendment_(Step_3).xml'), TT_IM001A())).toEqual([
      { op: 'replace', path: '/items/0/netMassKg', value: '2.1' },
    ]);
    expect(changesFromWco(amendmentOf('TT_IM011a/TT_IM011a_Amendment.xml'), declarationOf('TT_IM011a/TT_IM011a.xml'))).toEqual([
      { op: 'replace', path: '/items/0/netMassKg', value: '62' },
    ]);
  });

  it('refuses an amended price in another currency than the declaration\'s invoice', () => {
    const usd = { ...TT_IM001A(), invoiceCurrency: 'USD' };
    expect(() => changesFromWco(amendmentOf('TT_IM002b/TT_IM002b_Amendment.xml'), usd)).toThrow(/GBP but the declaration's invoice currency is USD/);
  });
});

describe('where an amendment or cancellation goes', () => {
  it('applies at once before the taxes are settled, and goes to an officer after (UCC Arts. 173(3), 174)', () => {
    for (const status of ['SUBMITTED', 'ACCEPTED', 'HELD', 'ASSESSED', 'AWAITING_PAYMENT']) expect(routeAdditionalMessage(status, 'amend')).toBe('APPLY');
    for (const status of ['SECURED', 'PAID', 'RELEASED']) expect(routeAdditionalMessage(status, 'cancel')).toBe('REQUEST');
  });

  it('refuses one for a declaration that has ended otherwise', () => {
    for (const status of ['REJECTED', 'CANCELLED', 'SEIZED', 'FAILED']) expect(() => routeAdditionalMessage(status, 'amend')).toThrow(ConflictError);
  });
});

describe('the ledger of a superseded version', () => {
  const at = '2025-05-20T02:00:00.000Z';
  const assessed = postToLedger(undefined, [ledgerEntry('ASSESSMENT', '172530.00', 'CNY', at)]);

  it('withdraws the outstanding notice, so the next version\'s notice replaces it', () => {
    const withdrawn = postToLedger(assessed, withdrawalEntries(assessed, at, 'E1'));
    expect(withdrawn.entries.at(-1)).toMatchObject({ kind: 'ASSESSMENT_WITHDRAWN', amount: '172530.00', delta: '-172530.00', reference: 'E1' });
    expect(withdrawn.balance).toBe('0.00');
    expect(outstandingAssessment(withdrawn).isZero()).toBe(true);
    expect(withdrawalEntries(withdrawn, at)).toEqual([]);
  });

  it('keeps what was paid: after withdrawal it is owed back, or counts against the next notice', () => {
    const paid = postToLedger(assessed, [ledgerEntry('PAYMENT', '172530.00', 'CNY', at, 'BANK-1')]);
    const withdrawn = postToLedger(paid, withdrawalEntries(paid, at));
    expect(withdrawn.balance).toBe('-172530.00');
    expect(postToLedger(withdrawn, [ledgerEntry('ASSESSMENT', '86265.00', 'CNY', at)]).balance).toBe('-86265.00');
  });
});
