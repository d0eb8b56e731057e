import { readFileSync } from 'node:fs';
import {
  buildIntakeReference,
  countryCodesFromCsv,
  currencyCodesFromCsv,
  type DeclarationInput,
  type IntakeReference,
} from '../../../functions/domain/declaration/index.js';
import { ttIm001a } from '../../support/declarations.js';

const repository = new URL('../../../', import.meta.url);

/** A file of the repository, as text. */
export function repositoryText(path: string): string {
  return readFileSync(new URL(path, repository), 'utf8');
}

/** An HMRC WCO DMS sample from `examples/wco-dms/`. */
export function wcoSample(path: string): string {
  return repositoryText(`examples/wco-dms/${path}`);
}

let reference: IntakeReference | undefined;

/** The intake reference built from the real files in `reference-data/`. */
export function intakeReference(): IntakeReference {
  reference ??= buildIntakeReference(
    repositoryText('reference-data/hs2022/hs2022-harmonized-system.csv'),
    repositoryText('reference-data/code-tables/cn-declaration-code-tables.csv'),
    currencyCodesFromCsv(repositoryText('reference-data/code-tables/iso4217-currencies.csv')),
    countryCodesFromCsv(repositoryText('reference-data/code-tables/iso3166-countries.csv')),
  );
  return reference;
}

/**
 * GB 32100-2015's own worked example of a unified social credit code, whose check character
 * the standard computes as 3.
 */
export const STANDARD_USCC = '91350100M000100Y43';

/**
 * A Chinese general-trade import (监管方式 0110 一般贸易, 征免性质 101 一般征税) bought FOB,
 * with freight declared: every rule of receipt is satisfied.
 */
export function cnDeclaration(): DeclarationInput {
  return {
    jurisdiction: 'CN',
    direction: 'IMPORT',
    typeCode: 'IM',
    lrn: 'CWY-CN-0001',
    declarant: { id: STANDARD_USCC, name: 'Example declarant', country: 'CN' },
    importer: { id: STANDARD_USCC, name: 'Example importer', country: 'CN' },
    exporterWithoutId: { name: 'Example Appliance Corp.', country: 'US' },
    office: '2248',
    tradeMode: '0110',
    exemptionNature: '101',
    transactionTerms: 'FOB',
    invoiceCurrency: 'USD',
    freight: { mark: 'TOTAL', value: '2000', currency: 'USD' },
    payment: { method: 'IMMEDIATE' },
    items: [
      {
        sequence: 1,
        commodityCode: '8509400000',
        description: 'Food grinders and mixers, household',
        origin: 'US',
        invoiceAmount: '100000',
        quantity: { value: '500', unit: '001' },
        statutoryQuantity: { value: '500', unit: '001' },
        netMassKg: '4500',
        grossMassKg: '5200',
        dutyMode: '1',
      },
    ],
  };
}

/** TT_IM001a (HMRC sample) written as canonical JSON: every rule of receipt is satisfied. */
export const gbDeclaration = ttIm001a;

/** `text` with `from` replaced once; fails loudly when `from` is absent, so a mutation never silently does nothing. */
export function replaceOnce(text: string, from: string | RegExp, to: string): string {
  const changed = text.replace(from, to);
  if (changed === text) throw new Error(`fixture mutation found nothing to replace: ${String(from)}`);
  return changed;
}
