import { z } from 'zod';
import { isCustomsClearanceRequest } from './categories.js';

/**
 * The canonical declaration (DESIGN.md §5): one model for JSON and WCO DMS 3.6 intake,
 * aligned with the WCO Data Model, with a CN profile that carries the Chinese declaration
 * form's header and goods-line semantics. Money and quantities are decimal strings — never
 * binary floats (DESIGN.md §7).
 */

/** A non-negative decimal number written as a string, e.g. "1000" or "12.345". */
export const DecimalString = z
  .string()
  .regex(/^\d{1,15}(\.\d{1,6})?$/, 'must be a non-negative decimal number written as a string, e.g. "1000.00"');

export const CountryCode = z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 country code');
export const CurrencyCode = z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 currency code');
/** 6 to 10 digits: HS 6 + national subdivisions (CN 10 digits, UK CN 8 digits). */
export const CommodityCode = z.string().regex(/^\d{6,10}$/, 'must be a commodity code of 6 to 10 digits');
export const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD');

/** Jurisdictions whose tax and validation profile the platform knows. */
export const Jurisdiction = z.enum(['CN', 'GB']);
export type Jurisdiction = z.infer<typeof Jurisdiction>;

/**
 * Incoterm-like basis of the invoice price (CN 成交方式: 1 CIF, 2 CFR, 3 FOB, 4 C&I, 7 EXW).
 * Decides which of freight and insurance must be added to reach the CIF dutiable value.
 */
export const TransactionTerms = z.enum(['CIF', 'CFR', 'FOB', 'CI', 'EXW']);
export type TransactionTerms = z.infer<typeof TransactionTerms>;

/**
 * A cost added to the invoice price (CN 运费/保费/杂费 with their marks):
 * RATE = percent of the price basis, UNIT = amount per unit of quantity, TOTAL = amount.
 */
export const Charge = z.object({
  mark: z.enum(['RATE', 'UNIT', 'TOTAL']),
  value: DecimalString,
  currency: CurrencyCode.optional(),
});
export type Charge = z.infer<typeof Charge>;

export const Quantity = z.object({ value: DecimalString, unit: z.string().min(1).max(8) });
export type Quantity = z.infer<typeof Quantity>;

export const Party = z.object({
  /** EORI (WCO/GB) or 18-character unified social credit code (CN). */
  id: z.string().min(1).max(35),
  name: z.string().max(256).optional(),
  country: CountryCode.optional(),
});
export type Party = z.infer<typeof Party>;

export const Document = z.object({
  /** Document type code (e.g. WCO C506, N935; CN licence codes). */
  type: z.string().min(1).max(8),
  id: z.string().min(1).max(70),
  category: z.string().max(4).optional(),
});

/**
 * CN 征免 duty mode per goods line: 1 照章征税 full, 2 折半征税 half, 3 全免 exempt,
 * 4 特案 special case, 5 follow exemption nature, 7 保函 guarantee.
 */
export const DutyMode = z.enum(['1', '2', '3', '4', '5', '7']);

export const GoodsItem = z.object({
  sequence: z.number().int().positive(),
  /** Mandatory except in the data set of a customs clearance request (see `categories.ts`). */
  commodityCode: CommodityCode.optional(),
  description: z.string().min(1).max(512),
  /** Country of origin (ISO alpha-2). Mandatory except in a customs clearance request. */
  origin: CountryCode.optional(),
  /** Invoice amount of this line in the declaration's invoice currency. Mandatory except in a customs clearance request. */
  invoiceAmount: DecimalString.optional(),
  /** Declared (trade) quantity. */
  quantity: Quantity.optional(),
  /** Statutory quantity in the tariff's unit (CN 法定数量), used by specific rates. */
  statutoryQuantity: Quantity.optional(),
  netMassKg: DecimalString.optional(),
  grossMassKg: DecimalString.optional(),
  /** CN 征免 duty mode; absent means full taxation. */
  dutyMode: DutyMode.optional(),
  /** WCO DE 4/17 preference code (e.g. 100 = no preference) or CN certificate claim. */
  preference: z.string().max(8).optional(),
  /**
   * The manufacturer, as a trade-remedy ruling names it (CN 申报要素 原厂商): goods of a producer
   * with a firm-specific anti-dumping or countervailing rate pay that rate, others the residual one.
   */
  producer: z.string().min(1).max(256).optional(),
  /** Valuation adjustment added to the customs value of this line (same currency). */
  valuationAdjustment: DecimalString.optional(),
  /** Amount added to the VAT base only (GB: DE 4/9 "VAT value adjustment"). */
  vatValueAdjustment: DecimalString.optional(),
  /**
   * Amount deducted from the customs value of this line (same currency): WCO DE 4/9 deductions,
   * the codes beginning with B (e.g. transport after arrival at the place of entry).
   */
  valuationDeduction: DecimalString.optional(),
  documents: z.array(Document).max(99).default([]),
});
export type GoodsItem = z.infer<typeof GoodsItem>;

/** How the taxes will be settled. DEFERMENT and GUARANTEE settle at once (WCO MethodCode E). */
export const PaymentMethod = z.enum(['IMMEDIATE', 'DEFERMENT', 'GUARANTEE', 'MONTHLY']);
export type PaymentMethod = z.infer<typeof PaymentMethod>;

const DeclarationFields = z.object({
  jurisdiction: Jurisdiction,
  direction: z.enum(['IMPORT', 'EXPORT']),
  /** Declaration type: WCO DE 1/1+1/2 (e.g. IMA) or CN form type (e.g. "IMPORT"). */
  typeCode: z.string().min(2).max(4),
  /** Trader's own reference, unique per trader (WCO DE 2/5 LRN). */
  lrn: z.string().min(1).max(35),
  declarant: Party,
  importer: Party.optional(),
  exporter: Party.optional(),
  /**
   * An exporter declared by name and address only, because it has no recognised identification
   * number (WCO DE 3/1 when DE 3/2 is empty — TT_IM001a's "US Clipper Inc."). Kept for risk and audit.
   */
  exporterWithoutId: z.object({ name: z.string().min(1).max(256), country: CountryCode.optional() }).optional(),
  /** Customs office of entry (CN 4-digit 申报地海关; WCO supervising office / goods location). */
  office: z.string().min(1).max(17).optional(),
  /** CN 监管方式 trade mode, 4 digits (0110 general trade). */
  tradeMode: z.string().regex(/^\d{4}$/).optional(),
  /** CN 征免性质 duty-exemption nature, 3 digits (101 general taxation). */
  exemptionNature: z.string().regex(/^\d{3}$/).optional(),
  /** CN 备案号 record number (processing-trade manual). */
  recordNumber: z.string().max(12).optional(),
  transactionTerms: TransactionTerms,
  /** Mandatory except in a customs clearance request. */
  invoiceCurrency: CurrencyCode.optional(),
  freight: Charge.optional(),
  insurance: Charge.optional(),
  otherCharges: Charge.optional(),
  countryOfDispatch: CountryCode.optional(),
  countryOfDestination: CountryCode.optional(),
  transportMode: z.string().max(2).optional(),
  payment: z.object({
    method: PaymentMethod,
    /** Deferment account (DAN), guarantee reference or bank account. */
    account: z.string().max(35).optional(),
  }),
  /**
   * The CN declaration form's valuation confirmations (海关总署公告2016年第20号; 审价办法 Arts. 16–17,
   * 11(1)(4)): a special relationship between buyer and seller (特殊关系确认), whether it
   * influenced the price (价格影响确认), and royalties payable on the goods (特许权使用费确认).
   * Absent when not declared.
   */
  valuationConfirmations: z
    .strictObject({ specialRelationship: z.boolean(), priceInfluence: z.boolean(), royaltiesPayable: z.boolean() })
    .partial()
    .optional(),
  containers: z.array(z.string().max(17)).max(999).default([]),
  documents: z.array(Document).max(99).default([]),
  items: z.array(GoodsItem).min(1).max(999),
});

/** A declaration of any category, as stored: a customs clearance request may lack value, classification and origin. */
export const Declaration = DeclarationFields;
export type Declaration = z.infer<typeof Declaration>;
/** A goods item of the full data set: value, classification and origin declared. */
const FullGoodsItem = GoodsItem.extend({ commodityCode: CommodityCode, origin: CountryCode, invoiceAmount: DecimalString });
/**
 * The full data set every declaration but a customs clearance request must declare (see
 * `categories.ts`): the invoice currency, and each item's commodity code, origin and price.
 */
export const FullDeclaration = DeclarationFields.extend({ invoiceCurrency: CurrencyCode, items: z.array(FullGoodsItem).min(1).max(999) });
export type DutiableGoodsItem = z.infer<typeof FullGoodsItem>;
/** A declaration whose every item can be classified and valued: what tax assessment works on. */
export type DutiableDeclaration = z.infer<typeof FullDeclaration>;

/** The schema a submission is read with: its category's data set (input not yet validated). */
export function declarationSchemaFor(input: unknown): typeof Declaration | typeof FullDeclaration {
  return input !== null && typeof input === 'object' && isCustomsClearanceRequest(input) ? Declaration : FullDeclaration;
}

/** Tells a declaration that carries value, classification and origin (all but a customs clearance request). */
export function isDutiable(declaration: Declaration): declaration is DutiableDeclaration {
  return (
    declaration.invoiceCurrency !== undefined &&
    declaration.items.every((item) => item.commodityCode !== undefined && item.origin !== undefined && item.invoiceAmount !== undefined)
  );
}

/**
 * The declaration as a dutiable one. Tax assessment is only ever asked for declarations that
 * carry value and classification; a customs clearance request reaching it is a caller's bug.
 * @throws RangeError for a declaration that is not dutiable
 */
export function requireDutiable(declaration: Declaration): DutiableDeclaration {
  if (!isDutiable(declaration)) throw new RangeError(`Declaration ${declaration.lrn} (${declaration.typeCode}) carries no value to assess`);
  return declaration;
}

/** What a client may send (defaults not yet applied). */
export type DeclarationInput = z.input<typeof Declaration>;
