import { maskUrl } from './db-copy-error';

describe('maskUrl', () => {
  it('masks the userinfo password', () => {
    expect(maskUrl('postgres://app:s3cret@db:5432/app')).toBe('postgres://app:****@db:5432/app');
  });

  it('masks passwords given as query parameters (pg honours them), keeping the other ones', () => {
    const masked = maskUrl(
      'postgres://app@db/app?sslmode=require&password=TopSecret1&sslpassword=KeyPass2&PASSWORD=x3',
    );
    expect(masked).not.toMatch(/TopSecret1|KeyPass2|x3/);
    expect(masked).toBe(
      'postgres://app@db/app?sslmode=require&password=****&sslpassword=****&PASSWORD=****',
    );
  });

  it('shows nothing of a URL it cannot parse', () => {
    expect(maskUrl('postgres://app:pw@db:notaport/app')).toBe('<unparseable URL>');
  });
});
