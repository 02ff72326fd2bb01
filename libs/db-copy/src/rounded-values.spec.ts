import { RoundedValues } from './rounded-values';
import { ColumnPlan } from './value-converters';

const decimal = (name: string, precision?: number): ColumnPlan => ({
  name,
  kind: 'decimal',
  pgType: 'numeric',
  nullable: true,
  precision,
  scale: 2,
});

describe('RoundedValues', () => {
  it('warns once per column, counting its values and quoting the first, singular for one', () => {
    const rounded = new RoundedValues();
    const price = rounded.of('tasks', decimal('price', 8));
    price('1.005', '1.01');
    price('2.345', '2.35');
    rounded.of('tasks', decimal('rate'))('0.30000000000000004', '0.30');
    expect(rounded.warnings()).toEqual([
      'tasks.price: 2 source values with more than 2 decimals, rounded as numeric(8,2) stores ' +
        'them (the first: 1.005 as 1.01)',
      'tasks.rate: 1 source value with more than 2 decimals, rounded as numeric(,2) stores ' +
        'them (the first: 0.30000000000000004 as 0.30)',
    ]);
  });

  it('says nothing when no value was rounded', () => {
    const rounded = new RoundedValues();
    rounded.of('tasks', decimal('price', 8));
    expect(rounded.warnings()).toEqual([]);
  });
});
