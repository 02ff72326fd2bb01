import { tablesIn } from './schema-diff';

describe('tablesIn (the tables migration:check names)', () => {
  it('names a new table with a foreign key, not its ON DELETE / ON UPDATE actions', () => {
    expect(
      tablesIn([
        'CREATE TABLE "notes" ("id" SERIAL NOT NULL, "projectId" integer NOT NULL, CONSTRAINT "PK_af6206538ea96c4e77e9f400c3d" PRIMARY KEY ("id"))',
        'ALTER TABLE "notes" ADD CONSTRAINT "FK_abf7aa9bc3c992c60498f4a5448" FOREIGN KEY ("projectId") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE NO ACTION',
        'CREATE INDEX "IDX_notes_projectId" ON "notes" ("projectId") ',
        `INSERT INTO "temporary_tasks"("id") SELECT "id" FROM "tasks"`,
      ]),
    ).toEqual(['notes', 'tasks']);
  });
});
