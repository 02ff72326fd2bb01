/** A count with its noun in the right number: `1 row`, `0 rows`, `2 tables`. */
export function counted(count: number, noun: 'row' | 'table' | 'value'): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
