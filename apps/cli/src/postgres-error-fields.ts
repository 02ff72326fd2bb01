/**
 * What PostgreSQL says beyond its one-line message, in the order worth reading: `detail` (the
 * failing row, the conflicting key), `hint`, `where` (`COPY tasks, line 3`: which row), and the
 * object involved. None of these holds connection settings; `mask` still runs over each value.
 */
const FIELDS = ['detail', 'hint', 'where', 'table', 'column', 'constraint'] as const;

export type PostgresErrorFields = Partial<Record<'code' | (typeof FIELDS)[number], string>>;

/** The fields of a pg `DatabaseError` (also inside TypeORM's QueryFailedError), or undefined. */
export function postgresErrorFields(
  error: unknown,
  mask: (text: string) => string,
): PostgresErrorFields | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const source = ((error as { driverError?: unknown }).driverError ?? error) as Record<
    string,
    unknown
  >;
  // pg's DatabaseError always has a five-character SQLSTATE and a severity.
  if (typeof source.code !== 'string' || !/^[0-9A-Z]{5}$/.test(source.code)) return undefined;
  if (typeof source.severity !== 'string') return undefined;
  const fields: PostgresErrorFields = { code: source.code };
  for (const name of FIELDS) {
    const value = source[name];
    if (typeof value === 'string' && value) fields[name] = mask(value);
  }
  return fields;
}

/** Indented `name: value` lines for the text output (the SQLSTATE code left out). */
export function formatPostgresErrorFields(fields: PostgresErrorFields): string {
  return FIELDS.filter((name) => fields[name] !== undefined)
    .map((name) => `\n  ${name}: ${fields[name]}`)
    .join('');
}
