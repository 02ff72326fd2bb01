import { ColumnPlan, OnRounded } from './value-converters';

interface Tally {
  column: ColumnPlan;
  count: number;
  first: [from: string, to: string];
}

/**
 * Source decimals with more digits than their PostgreSQL column keeps (the API stores at most
 * two decimals; another tool, or arithmetic on a REAL, may have stored `1.234` or
 * `0.30000000000000004`), counted per column. The copy writes them rounded, as PostgreSQL itself
 * would; the report says so, so that no value changes without a word.
 */
export class RoundedValues {
  private readonly tallies = new Map<string, Tally>();

  /** The converter's OnRounded for `column` of `table`. */
  of(table: string, column: ColumnPlan): OnRounded {
    const key = `${table}.${column.name}`;
    return (from, to) => {
      const tally = this.tallies.get(key);
      if (tally) tally.count++;
      else this.tallies.set(key, { column, count: 1, first: [from, to] });
    };
  }

  /** One warning per column with rounded values. */
  warnings(): string[] {
    return [...this.tallies].map(([key, { column, count, first }]) => {
      const values = count === 1 ? '1 source value' : `${count} source values`;
      const type = `numeric(${column.precision ?? ''},${column.scale})`;
      return (
        `${key}: ${values} with more than ${column.scale} decimals, rounded as ${type} stores ` +
        `them (the first: ${first[0]} as ${first[1]})`
      );
    });
  }
}
