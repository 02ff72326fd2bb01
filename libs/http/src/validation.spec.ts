import { unsafeText } from './validation';

describe('unsafeText', () => {
  it('finds NUL characters and unpaired surrogates, in values and keys, with their path', () => {
    expect(unsafeText({ a: 'ok', b: { c: 'x\u0000y' } })).toEqual([
      { field: 'b', message: 'b.c contains a NUL character or unpaired surrogate' },
    ]);
    expect(unsafeText(['\uD800'])).toHaveLength(1);
    expect(unsafeText('a\uDC00')).toHaveLength(1);
    expect(unsafeText({ 'k\u0000': 1 })).toHaveLength(1);
  });

  it('accepts paired surrogates (emoji) and ordinary text', () => {
    expect(unsafeText({ name: 'Garden 🌱', note: "'; DROP TABLE projects; --" })).toEqual([]);
  });
});
