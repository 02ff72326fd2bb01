import { runInNewContext } from 'node:vm';
import { asciiOnly } from './ascii-only';

const ASCII = /^[^\u0080-\uffff]*$/;

/** What `code` (an expression statement list) evaluates to, before and after asciiOnly. */
function both(code: string): [unknown, unknown, string] {
  const escaped = asciiOnly(code);
  return [runInNewContext(code), runInNewContext(escaped), escaped];
}

describe('asciiOnly', () => {
  it('escapes regular expressions and keeps what they match', () => {
    const probe = `
      const alpha = /^[A-ZÄÖÜß]+$/i, cyrillic = /^[А-Я]+$/, emoji = /^\\u{1F600}|😀$/u;
      ['äöü', 'STRASSE', 'ÄB1', 'ДОМ', 'дом', 'DOM', '😀'].map((s) =>
        [alpha.test(s), cyrillic.test(s), emoji.test(s)].join());`;
    const [before, after, escaped] = both(probe);
    expect(escaped).toMatch(ASCII);
    expect(after).toEqual(before);
    expect(before).toEqual([
      'true,false,false',
      'true,false,false',
      'false,false,false',
      'false,true,false',
      'false,false,false',
      'true,false,false',
      'false,false,true',
    ]);
  });

  it('keeps strings, identifiers and code around comments, and tells a regex from a division', () => {
    const probe = `
      const café = 'naïve 😀'; /* Jimmy Wärting */ const half = 10 / 2 / 5; // – end
      [café, café.length, half];`;
    const [before, after, escaped] = both(probe);
    expect(escaped).toMatch(ASCII);
    expect(after).toEqual(before);
    expect(before).toEqual(['naïve 😀', 8, 1]);
  });

  it('refuses a template literal, whose raw text a tag function would read escaped', () => {
    expect(() => asciiOnly('String.raw`Wärting`;')).toThrow(
      /^non-ASCII text in a template token at offset 11: Wärting$/,
    );
  });

  it('returns ASCII code as it is', () => {
    const code = 'const a = /[a-z]/.test(`x${1}`) / 2;';
    expect(asciiOnly(code)).toBe(code);
  });
});
