/**
 * Where each canonical field lives in a WCO DMS 3.6 declaration, so that an issue found on the
 * canonical model (zod or a business rule, pointed at by JSON Pointer) is reported to an XML
 * submitter at the element path of the data element he sent — as CDS's DMSREJ points at the
 * offending element. `{n}` is filled with the 1-based position of the repeated element.
 */

const ITEM = '/Declaration/GoodsShipment/GovernmentAgencyGoodsItem[{n}]';
const IMPORTER = '/Declaration/GoodsShipment/Importer';

const ELEMENT_PATHS: Readonly<Record<string, string>> = {
  '': '/Declaration',
  '/jurisdiction': '/MetaData/ResponsibleCountryCode',
  '/direction': '/Declaration/TypeCode',
  '/typeCode': '/Declaration/TypeCode',
  '/lrn': '/Declaration/FunctionalReferenceID',
  '/declarant': '/Declaration/Declarant',
  '/declarant/id': '/Declaration/Declarant/ID',
  '/declarant/name': '/Declaration/Declarant/Name',
  '/declarant/country': '/Declaration/Declarant/Address/CountryCode',
  '/importer': IMPORTER,
  '/importer/id': `${IMPORTER}/ID`,
  '/importer/name': `${IMPORTER}/Name`,
  '/importer/country': `${IMPORTER}/Address/CountryCode`,
  '/exporter': '/Declaration/Exporter',
  '/exporter/id': '/Declaration/Exporter/ID',
  '/exporter/name': '/Declaration/Exporter/Name',
  '/exporter/country': '/Declaration/Exporter/Address/CountryCode',
  '/exporterWithoutId/name': '/Declaration/Exporter/Name',
  '/exporterWithoutId/country': '/Declaration/Exporter/Address/CountryCode',
  '/office': '/Declaration/SupervisingOffice/ID',
  '/transactionTerms': '/Declaration/GoodsShipment/TradeTerms/ConditionCode',
  '/invoiceCurrency': '/Declaration/InvoiceAmount/@currencyID',
  '/otherCharges': '/Declaration/GoodsShipment/CustomsValuation/ChargeDeduction',
  '/otherCharges/value': '/Declaration/GoodsShipment/CustomsValuation/ChargeDeduction/OtherChargeDeductionAmount',
  '/otherCharges/currency': '/Declaration/GoodsShipment/CustomsValuation/ChargeDeduction/OtherChargeDeductionAmount/@currencyID',
  '/countryOfDispatch': '/Declaration/GoodsShipment/ExportCountry/ID',
  '/countryOfDestination': '/Declaration/GoodsShipment/Destination/CountryCode',
  '/transportMode': '/Declaration/BorderTransportMeans/ModeCode',
  '/payment': '/Declaration/GoodsShipment/GovernmentAgencyGoodsItem[1]/Commodity/DutyTaxFee/Payment',
  '/payment/method': '/Declaration/GoodsShipment/GovernmentAgencyGoodsItem[1]/Commodity/DutyTaxFee/Payment/MethodCode',
  '/payment/account': '/Declaration/AdditionalDocument/ID',
  '/containers': '/Declaration/GoodsShipment/Consignment/TransportEquipment',
  '/containers/*': '/Declaration/GoodsShipment/Consignment/TransportEquipment[{n}]/ID',
  '/items': '/Declaration/GoodsShipment/GovernmentAgencyGoodsItem',
  '/items/*': ITEM,
  '/items/*/sequence': `${ITEM}/SequenceNumeric`,
  '/items/*/commodityCode': `${ITEM}/Commodity/Classification/ID`,
  '/items/*/description': `${ITEM}/Commodity/Description`,
  '/items/*/origin': `${ITEM}/Origin/CountryCode`,
  '/items/*/invoiceAmount': `${ITEM}/Commodity/InvoiceLine/ItemChargeAmount`,
  '/items/*/quantity': `${ITEM}/Packaging`,
  '/items/*/quantity/value': `${ITEM}/Packaging/QuantityQuantity`,
  '/items/*/quantity/unit': `${ITEM}/Packaging/TypeCode`,
  '/items/*/statutoryQuantity': `${ITEM}/Commodity/GoodsMeasure/TariffQuantity`,
  '/items/*/statutoryQuantity/value': `${ITEM}/Commodity/GoodsMeasure/TariffQuantity`,
  '/items/*/statutoryQuantity/unit': `${ITEM}/Commodity/GoodsMeasure/TariffQuantity/@unitCode`,
  '/items/*/netMassKg': `${ITEM}/Commodity/GoodsMeasure/NetNetWeightMeasure`,
  '/items/*/grossMassKg': `${ITEM}/Commodity/GoodsMeasure/GrossMassMeasure`,
  '/items/*/preference': `${ITEM}/Commodity/DutyTaxFee/DutyRegimeCode`,
  '/items/*/valuationAdjustment': `${ITEM}/CustomsValuation/ChargeDeduction/OtherChargeDeductionAmount`,
  '/items/*/valuationDeduction': `${ITEM}/CustomsValuation/ChargeDeduction/OtherChargeDeductionAmount`,
  '/items/*/documents': `${ITEM}/AdditionalDocument`,
  '/items/*/documents/*': `${ITEM}/AdditionalDocument[{n}]`,
  '/items/*/documents/*/type': `${ITEM}/AdditionalDocument[{n}]/TypeCode`,
  '/items/*/documents/*/id': `${ITEM}/AdditionalDocument[{n}]/ID`,
  '/items/*/documents/*/category': `${ITEM}/AdditionalDocument[{n}]/CategoryCode`,
};

/**
 * The WCO element path for a canonical JSON Pointer. `overrides` (exact JSON Pointers) name the
 * element a value was actually read from where a field has more than one possible source
 * (e.g. the invoice currency from `InvoiceAmount` or from the first `ItemChargeAmount`).
 * A pointer below a mapped field falls back to the nearest mapped ancestor.
 */
export function wcoElementPath(jsonPointer: string, overrides: Readonly<Record<string, string>> = {}): string {
  let segments = jsonPointer === '' ? [] : jsonPointer.split('/').slice(1);
  while (true) {
    const pointer = segments.length ? `/${segments.join('/')}` : '';
    if (overrides[pointer]) return overrides[pointer];
    const positions = segments.filter((segment) => /^\d+$/.test(segment)).map((segment) => Number(segment) + 1);
    const pattern = segments.map((segment) => (/^\d+$/.test(segment) ? '*' : segment)).join('/');
    const template = ELEMENT_PATHS[pattern ? `/${pattern}` : ''];
    if (template !== undefined) return template.replace(/\{n\}/g, () => String(positions.shift() ?? 1));
    segments = segments.slice(0, -1);
  }
}
