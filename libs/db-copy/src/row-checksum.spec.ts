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
  });
});
