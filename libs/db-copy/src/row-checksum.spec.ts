import {
  canonicalJson,
  escapeCopyText,
  FIELD_SEPARATOR,
  hashFields,
  hashRow,
  parseCopyLine,
  sourceCanonicalizer,
  TableDigest,
  targetCanonicalizer,
} from './row-checksum';
import { converterFor } from './value-converters';

describe('checksum normalization', () => {
  it('canonical JSON sorts keys at every level', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}',
    );
  });

  it('canonical JSON keeps numbers a double cannot hold: a change in their digits shows', () => {
    const json = sourceCanonicalizer('json');
    const source = '{"n": 12345678901234567890, "m": [-98765432109876543210.5, 1.50, 1e400]}';
    // What PostgreSQL's jsonb prints for it: keys sorted by length, numeric exact, no exponent.
    const target = `{"m": [-98765432109876543210.5, 1.50, 1${'0'.repeat(400)}], "n": 12345678901234567890}`;
    expect(json(source)).toBe(json(target));
    expect(json(source)).toContain('12345678901234567890'.replace(/0$/, ''));
    expect(json(target.replace('567890}', '567891}'))).not.toBe(json(source));
    expect(json(source.replace('543210.5', '543210.6'))).not.toBe(json(target));
    // Exact doubles canonicalize as on the plain path, whichever path the text takes.
    expect(json('{"a": 1e20, "s": "1234567890123456789 in a string"}')).toBe(
      '{"a":100000000000000000000,"s":"1234567890123456789 in a string"}',
    );
    expect(json('[100000000000000000000, 0.5, -0]')).toBe(json('[1E20,5e-1,0]'));
    // A 16-digit integer past 2^53, a sign, digits in a string after an escaped quote.
    expect(json('[9007199254740993]')).not.toBe(json('[9007199254740992]'));
    expect(json('[-12345678901234567890]')).not.toBe(json('[12345678901234567890]'));
    const quoted = '{"s":"say \\"12345678901234567890\\""}';
    expect(json(quoted)).toBe(JSON.stringify(JSON.parse(quoted)));
    // A number beyond a double, as SQLite stores it (with an exponent) and as jsonb prints it.
    for (const source of ['[1e400]', '[1E400]']) {
      expect(json(source)).toBe(json(`[1${'0'.repeat(400)}]`));
      expect(json(source)).not.toBe(json(`[1${'0'.repeat(399)}]`));
    }
  });

  it('source and target values of the same data canonicalize equally', () => {
    const same = (kind: any, sourceValue: unknown, targetText: string, extra = {}) => {
      const converted = converterFor({ name: 'c', kind, pgType: kind, nullable: true, ...extra })(
        sourceValue,
      );
      expect(sourceCanonicalizer(kind)(converted)).toBe(targetCanonicalizer(kind)(targetText));
    };
    same('boolean', 1, 't');
    same('boolean', 'false', 'f');
    same('timestamp', '2024-03-01 12:00:00.123', '1709294400123');
    same('timestamp', 1709294400, '1709294400000');
    same('json', '{"b":1,"a":[1,2]}', '{"a": [1, 2], "b": 1}');
    same('decimal', 1.5, '1.50', { precision: 8, scale: 2 });
    same('decimal', 2, '2.00', { precision: 8, scale: 2 });
    same('integer', 7, '7');
    same('text', 'x', 'x');
    same('decimal', '-0.0', '0');
    same('decimal', 100, '100.00', { precision: 8, scale: 2 });
    // PostgreSQL prints float8 in the shortest exact form, exponent from 1e15 on.
    same('float', 1e20, '1e+20');
    same('float', '0.10', '0.1');
  });

  it('decimal canonical forms drop only zeros after the point: 100 and 1 stay apart', () => {
    const decimal = sourceCanonicalizer('decimal');
    expect(['100', '100.00', '1.00', '1', '10.50'].map(decimal)).toEqual([
      '100',
      '100',
      '1',
      '1',
      '10.5',
    ]);
  });

  it('the table digest ignores row order and sees a changed value', () => {
    const a = new TableDigest();
    const b = new TableDigest();
    const c = new TableDigest();
    ['1\u001fx', '2\u001fy', '3\u001fz'].forEach((r) => a.add(r));
    ['3\u001fz', '1\u001fx', '2\u001fy'].forEach((r) => b.add(r));
    ['3\u001fz', '1\u001fx', '2\u001fY'].forEach((r) => c.add(r));
    expect(a.checksum).toBe(b.checksum);
    expect(c.checksum).not.toBe(a.checksum);
    expect(a.rows).toBe(3);
    // Duplicate rows (a table without a key) do not cancel each other out.
    const twiceX = new TableDigest();
    const twiceY = new TableDigest();
    ['x', 'x'].forEach((r) => twiceX.add(r));
    ['y', 'y'].forEach((r) => twiceY.add(r));
    expect(twiceX.checksum).not.toBe(twiceY.checksum);
    expect(new TableDigest().checksum).toBe('0000000000000000');
    expect(a.checksum).toMatch(/^[0-9a-f]{16}$/);
  });

  it('hashes a row field by field exactly as its joined text', () => {
    const rows = [['1', 'x', '\u0000N', 'ü "q"'], [''], ['', ''], ['a\tb', '{"a":1}']];
    for (const values of rows) {
      expect(hashFields(values)).toEqual(hashRow(values.join(FIELD_SEPARATOR)));
    }
    const a = new TableDigest();
    const b = new TableDigest();
    a.addFields(['1', 'x']);
    b.add(`1${FIELD_SEPARATOR}x`);
    expect(a.checksum).toBe(b.checksum);
    expect(hashFields(['1', 'x'])).not.toEqual(hashFields(['1x']));
  });

  it('COPY text escaping round-trips', () => {
    const text = 'a\\b\tc\nd\re "q" \'s\' ü';
    expect(parseCopyLine(`${escapeCopyText(text)}\t\\N\tplain`)).toEqual([text, null, 'plain']);
    for (const alone of ['a\rb', 'a\nb', 'a\tb', 'a\\b']) {
      expect(escapeCopyText(alone)).not.toBe(alone);
      expect(parseCopyLine(escapeCopyText(alone))).toEqual([alone]);
    }
  });

  it("COPY text lines decode every escape PostgreSQL's COPY format has", () => {
    // PostgreSQL writes \b, \f and \v for those control characters; \x, octal and any other
    // character after a backslash are COPY input forms.
    expect(parseCopyLine('a\\bb\\fc\\vd\t\\x41\\101\\q\t\\N')).toEqual(['a\bb\fc\vd', 'AAq', null]);
  });
});
