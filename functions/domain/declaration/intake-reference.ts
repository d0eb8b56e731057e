/**
 * The reference data intake validation needs, as plain sets. The adapter reads the files
 * (`reference-data/hs2022/hs2022-harmonized-system.csv`,
 * `reference-data/code-tables/cn-declaration-code-tables.csv`,
 * `reference-data/code-tables/iso4217-currencies.csv`, `…/iso3166-countries.csv`) and hands their text to
 * `buildIntakeReference`; the domain does no I/O.
 */
export interface IntakeReference {
  /** The six-digit subheadings of the Harmonized System 2022. */
  hs6: ReadonlySet<string>;
  /** ISO 4217 alphabetic currency codes. */
  currencies: ReadonlySet<string>;
  /** ISO 3166-1 alpha-2 country codes. */
  countries: ReadonlySet<string>;
  /** The Chinese declaration form's code tables. */
  cn: {
    /** 监管方式 trade modes (4 digits). */
    tradeModes: ReadonlySet<string>;
    /** 征免性质 duty-exemption natures (3 digits). */
    exemptionNatures: ReadonlySet<string>;
    /** 征免方式 duty modes. */
    dutyModes: ReadonlySet<string>;
  };
}

/** Column `table` prefixes of `cn-declaration-code-tables.csv`. */
const CN_TABLES = { tradeModes: 'trade_mode', exemptionNatures: 'duty_nature', dutyModes: 'duty_mode' } as const;
const HS_SUBHEADING_LEVEL = '6';
/**
 * UN Comtrade's "TOTAL" section holds its residual 99/9999/999999 "commodities not specified
 * according to kind" — a statistical code, not an HS subheading (the HS ends at chapter 97;
 * chapters 98 and 99 are reserved for national use).
 */
const COMTRADE_RESIDUAL_SECTION = 'TOTAL';

/**
 * Builds the intake reference from the text of the HS 2022 CSV (`section`, `hscode`, `level` columns),
 * the CN code-table CSV (`table`, `code` columns), and lists of ISO 4217 and ISO 3166-1 alpha-2 codes.
 */
export function buildIntakeReference(hsCsvText: string, codeTablesCsvText: string, currencies: string[], countries: string[]): IntakeReference {
  const hs6 = new Set(
    readCsvRecords(hsCsvText)
      .filter((row) => row.level === HS_SUBHEADING_LEVEL && row.section !== COMTRADE_RESIDUAL_SECTION)
      .map((row) => row.hscode),
  );
  const codeTables = readCsvRecords(codeTablesCsvText);
  const codesOf = (prefix: string) => new Set(codeTables.filter((row) => row.table.startsWith(prefix)).map((row) => row.code));
  return {
    hs6,
    currencies: new Set(currencies),
    countries: new Set(countries),
    cn: {
      tradeModes: codesOf(CN_TABLES.tradeModes),
      exemptionNatures: codesOf(CN_TABLES.exemptionNatures),
      dutyModes: codesOf(CN_TABLES.dutyModes),
    },
  };
}

/** The `code` column of `iso4217-currencies.csv`. */
export function currencyCodesFromCsv(csvText: string): string[] {
  return readCsvRecords(csvText).map((row) => row.code);
}

/** The `alpha2` column of `iso3166-countries.csv`. */
export function countryCodesFromCsv(csvText: string): string[] {
  return readCsvRecords(csvText).map((row) => row.alpha2);
}

/** RFC 4180 CSV with a header row → one record per data row, keyed by column name. */
export function readCsvRecords(text: string): Record<string, string>[] {
  const [header, ...rows] = readCsvRows(text);
  if (!header) return [];
  return rows
    .filter((row) => row.some((cell) => cell !== ''))
    .map((row) => Object.fromEntries(header.map((name, index) => [name, row[index] ?? ''])));
}

function readCsvRows(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (char === '"') quoted = false;
      else cell += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      row.push(cell);
      cell = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += char;
  }
  if (cell !== '' || row.length) rows.push([...row, cell]);
  return rows;
}
