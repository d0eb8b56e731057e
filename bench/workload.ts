/**
 * The benchmark's declarations: a deterministic, realistic mix generated from the real examples
 * (examples/manifest.json), so every run submits the same N declarations with the same ids.
 *
 * Each declaration is an example with its own trader reference (LRN); the ids derive from the LRN
 * (functions/domain/declaration/identity.ts), so the risk engine's keyed random draws are the same
 * on every run too. A fixed share of the CN examples is changed so the risk profiles of
 * reference-data/risk/profiles.json hold them for an officer: tobacco (HS 24, RP-HS24-TOBACCO →
 * YELLOW, document review) and goods from North Korea (RP-ORIGIN-KP → RED, inspection). RP-RANDOM
 * adds its own 2–3 % of yellow. Payment is as each example declares it — immediate (the bank pays
 * the tax notice), deferment account or guarantee (settled at once, paid later) — and a share of
 * the immediate CN ones draws on the importer's general guarantee instead.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readSubmission } from '../functions/domain/declaration/index.js';

/** The date every benchmark declaration is submitted on: all examples bind law, tariff and FX then. */
export const BENCH_DATE = '2025-06-12T02:00:00Z';

/** Examples that are not a plain import (TT_IM011a is a customs clearance request, assessed no tax). */
const EXCLUDED = new Set(['wco-dms/TT_IM011a/TT_IM011a.xml']);

/** CN-1's importer holds this general guarantee (reference-data/accounts/cn-accounts.json). */
const CN1_GUARANTEE = 'GUA-2248-2025-00001';
const CN1_IMPORTER = '91310115MA1FL5G29G';

/** What the generator meant a declaration to be (the screening may still hold a green one at random). */
export type Intent = 'GREEN' | 'YELLOW' | 'RED';

export interface BenchDeclaration {
  index: number;
  template: string;
  lrn: string;
  contentType: 'application/json' | 'application/xml';
  body: string;
  /** The organisation that lodges it (its declarant's EORI or USCC): whose token submits it. */
  declarant: string;
  intent: Intent;
  /** The payment method as declared. */
  payment: 'IMMEDIATE' | 'DEFERRED';
}

interface Template {
  file: string;
  text: string;
  json?: any;
  declarant: string;
}

function loadTemplates(rootDir: string): Template[] {
  const manifest = JSON.parse(readFileSync(join(rootDir, 'examples/manifest.json'), 'utf8')) as { file: string }[];
  return manifest
    .filter((entry) => !EXCLUDED.has(entry.file))
    .map((entry) => {
      const text = readFileSync(join(rootDir, 'examples', entry.file), 'utf8');
      const contentType = entry.file.endsWith('.json') ? 'application/json' : 'application/xml';
      const declarant = readSubmission(text, contentType).declaration.declarant.id;
      return { file: entry.file, text, json: contentType === 'application/json' ? JSON.parse(text) : undefined, declarant };
    });
}

/** The n-th declaration of the mix (0-based); the same `n` always gives the same declaration. */
export function benchDeclaration(templates: Template[], index: number, tag: string): BenchDeclaration {
  const template = templates[index % templates.length];
  // Unique per trader and run; short enough for WCO DE 2/5 (an..22) and the canonical model (35).
  const lrn = `${tag}${String(index).padStart(7, '0')}`;
  const slot = index % 20;
  if (!template.json) {
    // WCO DMS XML: the LRN is the declaration's FunctionalReferenceID; payment as the sample has it.
    const body = template.text.replace(/<FunctionalReferenceID>[^<]*<\/FunctionalReferenceID>/, `<FunctionalReferenceID>${lrn}</FunctionalReferenceID>`);
    const deferred = /<MethodCode>E<\/MethodCode>/.test(template.text);
    return { index, template: template.file, lrn, contentType: 'application/xml', body, declarant: template.declarant, intent: 'GREEN', payment: deferred ? 'DEFERRED' : 'IMMEDIATE' };
  }
  const declaration = structuredClone(template.json);
  declaration.lrn = lrn;
  let intent: Intent = 'GREEN';
  if (slot === 7) {
    intent = 'YELLOW';
    for (const item of declaration.items) item.commodityCode = '2401201000';
  } else if (slot === 13) {
    intent = 'RED';
    for (const item of declaration.items) item.origin = 'KP';
  }
  if (slot % 4 === 1 && declaration.payment.method === 'IMMEDIATE' && declaration.importer?.id === CN1_IMPORTER) {
    declaration.payment = { method: 'GUARANTEE', account: CN1_GUARANTEE };
  }
  const payment = declaration.payment.method === 'IMMEDIATE' ? 'IMMEDIATE' : 'DEFERRED';
  return { index, template: template.file, lrn, contentType: 'application/json', body: JSON.stringify(declaration), declarant: template.declarant, intent, payment };
}

/** A generator of the mix over the examples under `rootDir`. */
export function workload(rootDir: string, tag: string): (index: number) => BenchDeclaration {
  const templates = loadTemplates(rootDir);
  return (index) => benchDeclaration(templates, index, tag);
}
