/**
 * Declaration categories whose data set is smaller than a full declaration's.
 *
 * UK CDS — the customs clearance request for inventory imports (C21i): DE 1/1 `IM` with DE 1/2
 * `J` or `K` (K: "C21i EIDR NOP", where the C21 also gives the notification of presentation of
 * goods entered in the declarant's records). Its data set (UK Trade Tariff: CDS Volume 3,
 * Appendix 23B "Declaration Category Data Sets C21i EIDR NOP", and Appendix 23A for C21i,
 * gov.uk) asks for no item price (DE 4/14) and no invoice currency (DE 4/11), and for the
 * commodity code (DE 6/14) only where its reading notes require it. HMRC's own sample
 * TT_IM011a (`examples/wco-dms/TT_IM011a/TT_IM011a.xml`, type IMK) declares neither commodity
 * code, price nor origin, and is answered DMSRCV (registered), not DMSREJ.
 *
 * No tax is assessed on it: a C21i releases goods from the inventory, and the duties are
 * declared on the supplementary declaration that follows (DE 1/2 `Y`/`Z`, as HMRC's sample
 * TT_IM002a, an EIDR supplementary declaration of type IMZ, shows) or were paid on the import
 * the goods were already cleared under.
 */
const CUSTOMS_CLEARANCE_REQUEST_TYPES: Readonly<Record<string, ReadonlySet<string>>> = {
  GB: new Set(['IMJ', 'IMK']),
};

/** Tells a customs clearance request (C21i): value, classification and origin may be left out, and no tax is assessed. */
export function isCustomsClearanceRequest(declaration: { jurisdiction?: unknown; typeCode?: unknown }): boolean {
  const types = typeof declaration.jurisdiction === 'string' ? CUSTOMS_CLEARANCE_REQUEST_TYPES[declaration.jurisdiction] : undefined;
  return typeof declaration.typeCode === 'string' && types !== undefined && types.has(declaration.typeCode);
}
