import { containsPattern, searchCondition, searchKey } from './search-key';

describe('searchKey', () => {
  it('folds compatibility forms and case', () => {
    expect(searchKey('ÄRGER ﬁle')).toBe('ärger file');
    expect(searchKey('e\u0301')).toBe('\u00e9');
    // Compatibility forms first, then case: NFKC turns these into capitals.
    expect(searchKey('\u3392')).toBe('mhz'); // the square MHz sign
    expect(searchKey('\u210C')).toBe('h'); // black-letter H
  });

  it('lower-cases without a locale: I is i, not a Turkish dotless i', () => {
    expect(searchKey('TITLE INFO')).toBe('title info');
  });

  it('lower-cases only, as README documents: no full case folding', () => {
    expect(searchKey('Straße')).not.toBe(searchKey('STRASSE'));
    expect(searchKey('ΟΔΟΣ')).toBe('οδος');
    expect(searchKey('οδοσ')).not.toBe(searchKey('ΟΔΟΣ'));
  });
});

describe('containsPattern', () => {
  it("escapes LIKE's wildcards and the escape character", () => {
    expect(containsPattern('50%_A\\b')).toBe('%50\\%\\_a\\\\b%');
  });

  it('reads a final sigma as σ, as searchCondition reads the stored key', () => {
    expect(containsPattern('ΟΔΟΣ')).toBe('%οδοσ%');
    expect(containsPattern('οδος')).toBe('%οδοσ%');
    expect(containsPattern('ΟΔΟΣ ΟΔΟΣ')).toBe('%οδοσ οδοσ%');
    expect(searchCondition('t.searchKey')).toBe(
      "replace(t.searchKey, 'ς', 'σ') LIKE :pattern ESCAPE '\\'",
    );
  });
});
