import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Declaration, type DeclarationInput } from '../../../functions/domain/declaration/model.js';
import { catalogFromFiles, type TaxCatalog } from '../../../functions/domain/tax/index.js';

/** The repository root (tests read nothing outside it). */
export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../../..');

const readJson = (path: string): unknown => JSON.parse(readFileSync(join(ROOT, path), 'utf8'));

/** The tax catalog as shipped in reference-data/{tariff,fx,tax-rules}. */
export function shippedCatalog(): TaxCatalog {
  const folders = ['reference-data/tariff', 'reference-data/fx', 'reference-data/tax-rules'];
  return catalogFromFiles(
    folders.flatMap((folder) =>
      readdirSync(join(ROOT, folder))
        .filter((f) => f.endsWith('.json'))
        .map((f) => readJson(`${folder}/${f}`)),
    ),
  );
}

export interface WorkedExample {
  id: string;
  jurisdiction: string;
  inputs: Record<string, string | number>;
  expected: Record<string, string | number | boolean>;
}

/** The worked examples (tests/unit/fixtures/tax-worked-examples.json) by id. */
export function workedExample(id: string): WorkedExample {
  const { examples } = readJson('tests/unit/fixtures/tax-worked-examples.json') as { examples: WorkedExample[] };
  const found = examples.find((e) => e.id === id);
  if (!found) throw new Error(`no worked example ${id}`);
  return found;
}

export interface ManifestEntry {
  file: string;
  submitOn: string;
  source: string;
  expected?: { taxLines: Array<{ type: string; code?: string; amount: string; currency: string }>; total?: string };
}

export function manifest(): ManifestEntry[] {
  return readJson('examples/manifest.json') as ManifestEntry[];
}

/** A canonical declaration from examples/ (JSON ones). */
export function exampleDeclaration(file: string): Declaration {
  return Declaration.parse(readJson(`examples/${file}`));
}

/** A one-item CN import declaration with the given overrides, parsed by the canonical schema. */
export function cnDeclaration(overrides: Partial<DeclarationInput> = {}, item: Partial<DeclarationInput['items'][number]> = {}): Declaration {
  return Declaration.parse({
    jurisdiction: 'CN',
    direction: 'IMPORT',
    typeCode: 'IM',
    lrn: 'TEST-1',
    declarant: { id: '91310115MA1FL5G29G' },
    tradeMode: '0110',
    exemptionNature: '101',
    transactionTerms: 'CIF',
    invoiceCurrency: 'CNY',
    payment: { method: 'IMMEDIATE' },
    ...overrides,
    items: [
      { sequence: 1, commodityCode: '8509400000', description: 'test goods', origin: 'US', invoiceAmount: '1000', ...item },
    ],
  });
}

/** Common metadata for records of an in-test catalog. */
export const meta = (id: string, validFrom = '2020-01-01', version = 1) => ({ id, version, validFrom, source: 'test' });

/** An empty catalog to fill in a test. */
export const emptyCatalog = (): TaxCatalog => ({ tariffLines: [], consumptionTax: [], vatRates: [], fxRates: [], rules: [] });
