/**
 * Party identifiers: the Chinese unified social credit code and the GB EORI number.
 */

/**
 * GB 32100-2015 《法人和其他组织统一社会信用代码编码规则》 §4: 18 characters from the
 * 31-character set 0–9 and A–Y without I, O, S, V, Z; position 1 registration authority,
 * 2 organisation type, 3–8 the administrative-division code (GB/T 2260, digits), 9–17 the
 * organisation code, 18 the check character.
 */
const USCC_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_FORMAT = /^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/;
const MODULUS = 31;
/** GB 32100-2015 §5: the weight of position i is 3^(i−1) mod 31. */
const USCC_WEIGHTS = Array.from({ length: 17 }, (_, i) => Number(3n ** BigInt(i) % 31n));

/** Whether `code` has the form of a unified social credit code (check character not verified). */
export function isUsccFormat(code: string): boolean {
  return USCC_FORMAT.test(code);
}

/**
 * The GB 32100-2015 §5 check character of the first 17 characters:
 * C18 = 31 − (Σ Ci × Wi mod 31), where 31 is written as 0, and each value is the character's
 * index in the code set.
 */
export function usccCheckCharacter(first17: string): string {
  const sum = [...first17].reduce((total, char, i) => total + USCC_CHARSET.indexOf(char) * USCC_WEIGHTS[i], 0);
  return USCC_CHARSET[(MODULUS - (sum % MODULUS)) % MODULUS];
}

/**
 * GB EORI: "GB" followed by 12 digits (VAT-registered traders: 9-digit VAT number + 000) or
 * 15 digits (HMRC, "Get an EORI number" guidance; CDS rejects any other shape).
 */
const GB_EORI = /^GB(\d{12}|\d{15})$/;

export function isGbEori(id: string): boolean {
  return GB_EORI.test(id);
}
