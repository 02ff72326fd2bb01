/**
 * Preloaded (`node -r`) by `npm run typeorm`, and compiled by `npm run typeorm:prod`, before
 * TypeORM's CLI parses its arguments: it refuses the commands that go around the migrations, as
 * data-source.ts does. migration:create needs it: it takes no data source, so TypeORM's CLI never
 * loads data-source.ts for it and answers the script's `-d` with its help and `Unknown argument:
 * d`.
 */
import { bypassRefusal, typeormCliCommand } from './typeorm-cli-command';

const refusal = bypassRefusal(typeormCliCommand(process.argv));
if (refusal) {
  console.error(refusal);
  process.exit(1);
}
