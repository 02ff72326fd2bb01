import { bypassRefusal, typeormCliCommand } from './typeorm-cli-command';

const NODE = '/usr/bin/node';
const CLI = '/app/node_modules/typeorm/cli.js';
const DS = 'libs/database/src/data-source.ts';

describe('typeormCliCommand', () => {
  it.each([
    ['the npm scripts: the data source first', [CLI, '-d', DS, 'query', 'select 1'], 'query'],
    ['the command first', [CLI, 'query', 'select 1', '-d', DS], 'query'],
    ['--dataSource with its value', [CLI, '--dataSource', DS, 'cache:clear'], 'cache:clear'],
    ['--data-source=value', [CLI, '--data-source=x.js', 'migration:show'], 'migration:show'],
    ['options with a value', [CLI, '-d', DS, '-t', 'each', 'migration:run'], 'migration:run'],
    ['flags', [CLI, '-d', DS, '--fake', 'migration:revert'], 'migration:revert'],
    ['a query that looks like a command', [CLI, '-d', DS, 'query', 'migration:run'], 'query'],
    ['the .bin link', ['/app/node_modules/.bin/typeorm', '-d', DS, 'query', 'x'], 'query'],
    [
      'the ts-node variant',
      ['/app/node_modules/typeorm/cli-ts-node-commonjs.js', '-d', DS, 'schema:log'],
      'schema:log',
    ],
    ['no command', [CLI, '-d', DS], undefined],
    ['another program (Jest)', ['/app/node_modules/.bin/jest', 'data-source.spec.ts'], undefined],
    ['another cli.js', ['/app/tools/cli.js', 'query', 'x'], undefined],
  ])('%s', (_name, args, command) => {
    expect(typeormCliCommand([NODE, ...args])).toBe(command);
  });
});

describe('bypassRefusal', () => {
  it.each([
    ['schema:sync', 'the schema comes from migrations: npm run migration:run'],
    ['schema:drop', 'the schema comes from migrations: npm run migration:revert undoes one'],
    ['schema:log', 'the schema comes from migrations: npm run migration:check compares them'],
    ['migration:generate', 'use npm run migration:generate -- <Name>'],
    ['migration:create', 'use npm run migration:create -- <Name>'],
  ])('refuses %s, pointing to the command to use', (command, pointer) => {
    const refusal = bypassRefusal(command);
    expect(refusal).toContain(`${command} is not run through this data source: `);
    expect(refusal).toContain(pointer);
  });

  it.each([
    'migration:run',
    'migration:revert',
    'migration:show',
    'query',
    'cache:clear',
    undefined,
  ])('lets %s through', (command) => {
    expect(bypassRefusal(command)).toBeUndefined();
  });
});
