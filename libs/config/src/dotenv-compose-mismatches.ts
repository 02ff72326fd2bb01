const ASSIGNMENT = /^\s*(?:export\s+)?([A-Za-z_][\w.-]*)\s*=\s*(.*)$/;

/**
 * One `.env` serves the app (dotenv) and Docker Compose, and the two read some values
 * differently. dotenv ends an unquoted value at its first `#`, Compose only at a `#` after a
 * blank: `POSTGRES_PASSWORD=ab#cd` is `ab` to the app and `ab#cd` to the database container.
 * Compose substitutes `$NAME` and `${NAME}` in unquoted and double-quoted values, dotenv keeps
 * them as written. Single quotes mean the same to both. Lines of `names` (the variables the
 * app reads) that the two read differently are problems: the variable and the fix, never the
 * value.
 */
export function dotenvComposeMismatches(text: string, names: ReadonlySet<string>): string[] {
  const problems: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const match = ASSIGNMENT.exec(line);
    if (!match || !names.has(match[1])) continue;
    const [, name, raw] = match;
    if (raw.startsWith("'")) continue;
    const value = raw.startsWith('"') ? raw.slice(1, raw.lastIndexOf('"')) : raw.split(/\s#/)[0];
    if (!raw.startsWith('"') && value.includes('#')) {
      problems.push(
        `${name} in .env: the app (dotenv) ends an unquoted value at "#" and Docker Compose does not; put the value in single quotes: ${name}='...'`,
      );
    } else if (value.includes('$')) {
      problems.push(
        `${name} in .env: Docker Compose substitutes "$" in this value and the app (dotenv) does not; put the value in single quotes: ${name}='...'`,
      );
    }
  }
  return problems;
}
