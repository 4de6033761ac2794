import { describe, expect, it } from 'vitest';
import { childText, parseXmlStrict } from './xml.ts';

describe('parseXmlStrict', () => {
  it('parses namespaces and keeps text exactly', () => {
    const root = parseXmlStrict('<r xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator> A &amp; B&#13;</dc:creator></r>');
    expect(childText(root, 'http://purl.org/dc/elements/1.1/', 'creator')).toBe(' A & B\r');
  });

  it.each([
    ['a C0 control', '<r>\u0001</r>'],
    ['a lone surrogate', '<r>\uD800</r>'],
    ['U+FFFE', '<r>\uFFFE</r>'],
    ['a C1 control (stricter than XML 1.0)', '<r>\u0085</r>'],
    ['a control character reference', '<r>&#1;</r>'],
    ['a leading BOM', '\uFEFF<r/>'],
    ['a DOCTYPE', '<!DOCTYPE r><r/>'],
    ['an unknown entity', '<r>&nbsp;</r>'],
    ['an unbound prefix', '<r><x:y/></r>'],
    [']]> in text', '<r>]]></r>'],
    ['a raw &', '<r>a & b</r>'],
    ['mismatched tags', '<r><a></r>'],
    ['two roots', '<r/><r/>'],
    ['no root', ''],
  ])('rejects %s', (_what, xml) => {
    expect(() => parseXmlStrict(xml)).toThrow();
  });

  it('accepts a BOM only when asked', () => {
    expect(parseXmlStrict('\uFEFF<r/>', { allowBom: true }).local).toBe('r');
  });
});
