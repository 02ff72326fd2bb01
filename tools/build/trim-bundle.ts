// Code the API never runs at start-up, kept out of its bundle or out of its start: every start
// reads, deserializes and evaluates less (BENCHMARKS.md, eleventh round: ~10% faster to the first
// /health, ~15 MB less resident memory; the migrations bundle is 40% smaller). Each trim either
// replaces a file with a stand-in that fails loudly if it is ever reached, or edits a file; a
// trim that matches no file fails the build, so a dependency's new layout cannot silently undo
// it or leave a half-done edit.
import { readFile } from 'node:fs/promises';
import { Plugin } from 'esbuild';

interface Trim {
  /** What the trim keeps out, and why the API cannot need it. */
  why: string;
  /** The files it applies to (an esbuild onLoad filter on their absolute paths). */
  files: RegExp;
  /** The file's new source, from its path and its current source. */
  source(path: string, current: string): string;
}

const SUPPORTED_BY_THE_API = 'the API runs on better-sqlite3 and postgres only';
const OTHER_TYPEORM_DRIVERS =
  /typeorm[\\/]driver[\\/](aurora-mysql|aurora-postgres|capacitor|cockroachdb|cordova|expo|mongodb|mysql|nativescript|oracle|react-native|sap|spanner|sqljs|sqlserver)[\\/](\w+Driver)\.js$/;

const NEST_TIMESTAMP_FORMAT = 'const dateTimeFormatter = new Intl.DateTimeFormat(';

/** `current` with `from` replaced by `to`; throws where `from` is missing (the file changed). */
function replaceOnce(path: string, current: string, from: string, to: string): string {
  if (!current.includes(from)) throw new Error(`${path} no longer holds \`${from}\``);
  return current.replace(from, to);
}

/** A module whose named exports all throw `message` when called or constructed. */
function failingStandIn(names: string[], message: string): string {
  const fail = `function () { throw new Error(${JSON.stringify(message)}); }`;
  return names.map((name) => `exports.${name} = ${fail};`).join('\n');
}

const TRIMS: Trim[] = [
  {
    why: "TypeORM's drivers for other databases (its DriverFactory imports all seventeen)",
    files: OTHER_TYPEORM_DRIVERS,
    source(path) {
      const [, dialect, driver] = OTHER_TYPEORM_DRIVERS.exec(path)!;
      const message = `TypeORM's ${dialect} driver is not in the API bundle: ${SUPPORTED_BY_THE_API} (tools/build/trim-bundle.ts)`;
      return failingStandIn([driver], message);
    },
  },
  {
    why: "Zod's messages in 40-odd languages: the API's config errors are in English, Zod's default",
    files: /zod[\\/]v4[\\/]locales[\\/]index\.cjs$/,
    source: () =>
      "Object.defineProperty(exports, '__esModule', { value: true });\nexports.en = require('./en.cjs').default;",
  },
  {
    // class-validator's isPhoneNumber catches every error and answers false, so a stand-in for
    // the phone library would fail silently; this one fails when a DTO is decorated: at start.
    why: "class-validator's IsPhoneNumber and the phone-number metadata it loads (libphonenumber-js)",
    files: /class-validator[\\/]cjs[\\/]decorator[\\/]string[\\/]IsPhoneNumber\.js$/,
    source: () =>
      `exports.IS_PHONE_NUMBER = 'isPhoneNumber';\n${failingStandIn(
        ['isPhoneNumber', 'IsPhoneNumber'],
        'IsPhoneNumber is not in the API bundle (tools/build/trim-bundle.ts): remove its trim to use it',
      )}`,
  },
  {
    // Building a formatter loads ICU's locale data: ~10 ms of every start. Nest's ConsoleLogger
    // and Logger each build one at load and use it only for plain-text lines; the API logs
    // JSON, so they are now built on first use.
    why: "Nest's logger timestamp formats, built at load",
    files: /@nestjs[\\/]common[\\/]services[\\/](console-logger|logger)\.service\.js$/,
    source: (path, current) =>
      'function lazyDateTimeFormat(locales, options) { let format; return { format: (date) => (format ??= new Intl.DateTimeFormat(locales, options)).format(date) }; }\n' +
      replaceOnce(
        path,
        current,
        NEST_TIMESTAMP_FORMAT,
        'const dateTimeFormatter = lazyDateTimeFormat(',
      ),
  },
];

/** The esbuild plugin applying TRIMS; register it before plugins that load the same files. */
export const trimBundle: Plugin = {
  name: 'trim-bundle',
  setup(plugin) {
    const applied = new Set<Trim>();
    plugin.onStart(() => applied.clear());
    for (const trim of TRIMS) {
      plugin.onLoad({ filter: trim.files }, async (args) => {
        applied.add(trim);
        const current = await readFile(args.path, 'utf8');
        return { contents: trim.source(args.path, current), loader: 'js' };
      });
    }
    plugin.onEnd(() => {
      const unused = TRIMS.filter((trim) => !applied.has(trim)).map((trim) => trim.why);
      if (unused.length > 0) {
        throw new Error(`trim-bundle.ts: no file matched for ${unused.join('; ')}; update TRIMS`);
      }
    });
  },
};
