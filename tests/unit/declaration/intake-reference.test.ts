import { describe, expect, it } from 'vitest';
import { buildIntakeReference, readCsvRecords } from '../../../functions/domain/declaration/index.js';
import { intakeReference } from './fixtures.js';

describe('intake reference', () => {
  it('holds the HS 2022 six-digit subheadings of the UN Comtrade file, not its headings or chapters', () => {
    const { hs6 } = intakeReference();
    expect(hs6.has('851090')).toBe(true); // shavers and hair clippers; parts
    expect(hs6.has('180400')).toBe(true); // cocoa butter
    expect(hs6.has('8510')).toBe(false);
    expect(hs6.has('85')).toBe(false);
  });

  it('leaves out UN Comtrade\'s residual 999999, which is not an HS subheading', () => {
    expect(intakeReference().hs6.has('999999')).toBe(false);
  });

  it('holds the CN code tables by table: trade modes, exemption natures, duty modes', () => {
    const { cn } = intakeReference();
    expect(cn.tradeModes.has('0110')).toBe(true); // 一般贸易
    expect(cn.tradeModes.has('0615')).toBe(true); // 进料对口
    expect(cn.exemptionNatures.has('101')).toBe(true); // 一般征税
    expect([...cn.dutyModes].sort()).toEqual(['1', '2', '3', '4', '5', '7']);
    expect(cn.tradeModes.has('101')).toBe(false);
  });

  it('holds the ISO 4217 currencies given to it', () => {
    const { currencies } = intakeReference();
    expect(currencies.has('GBP') && currencies.has('CNY') && currencies.has('USD')).toBe(true);
    expect(currencies.has('XXX')).toBe(false);
  });

  it('reads RFC 4180 CSV: quoted fields with commas, doubled quotes, CRLF line ends', () => {
    const text = 'section,hscode,description,parent,level\r\nI,010121,"Horses; live, ""pure-bred""",0101,6\r\n\r\n';
    expect(readCsvRecords(text)).toEqual([
      { section: 'I', hscode: '010121', description: 'Horses; live, "pure-bred"', parent: '0101', level: '6' },
    ]);
    expect(buildIntakeReference(text, 'table,code\n', [], []).hs6).toEqual(new Set(['010121']));
  });
});
