import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `nameKey` becomes text: NFKC and lower case can make it longer than the name (U+FDFA is 18
 * characters). Generated, then rewritten to rebuild each table once, always as temporary_x,
 * copy, DROP x, rename: renaming the parent away instead (TypeORM's down) would point the
 * children's foreign keys at temporary_x. Each table's AUTOINCREMENT mark (sqlite_sequence)
 * moves to the new table, so ids of deleted rows are never handed out again. The migration
 * guard runs this with foreign keys off, so DROP x cascades into no child.
 */
export class UnboundedNameKeys1795833677418 implements MigrationInterface {
  name = 'UnboundedNameKeys1795833677418';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "UQ_projects_nameKey"`);
    await queryRunner.query(`CREATE TABLE "temporary_projects" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "name" varchar(120) NOT NULL, "nameKey" text NOT NULL, "description" text, "archived" boolean NOT NULL DEFAULT (0), "createdAt" datetime NOT NULL, "updatedAt" datetime NOT NULL)`);
    await queryRunner.query(`INSERT INTO "temporary_projects"("id", "name", "nameKey", "description", "archived", "createdAt", "updatedAt") SELECT "id", "name", "nameKey", "description", "archived", "createdAt", "updatedAt" FROM "projects"`);
    await queryRunner.query(`DELETE FROM sqlite_sequence WHERE name = 'temporary_projects'`);
    await queryRunner.query(`UPDATE sqlite_sequence SET name = 'temporary_projects' WHERE name = 'projects'`);
    await queryRunner.query(`DROP TABLE "projects"`);
    await queryRunner.query(`ALTER TABLE "temporary_projects" RENAME TO "projects"`);
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_projects_nameKey" ON "projects" ("nameKey") `);
    await queryRunner.query(`DROP INDEX "UQ_tags_nameKey"`);
    await queryRunner.query(`CREATE TABLE "temporary_tags" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "name" varchar(40) NOT NULL, "nameKey" text NOT NULL, "color" varchar(7))`);
    await queryRunner.query(`INSERT INTO "temporary_tags"("id", "name", "nameKey", "color") SELECT "id", "name", "nameKey", "color" FROM "tags"`);
    await queryRunner.query(`DELETE FROM sqlite_sequence WHERE name = 'temporary_tags'`);
    await queryRunner.query(`UPDATE sqlite_sequence SET name = 'temporary_tags' WHERE name = 'tags'`);
    await queryRunner.query(`DROP TABLE "tags"`);
    await queryRunner.query(`ALTER TABLE "temporary_tags" RENAME TO "tags"`);
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_tags_nameKey" ON "tags" ("nameKey") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "UQ_tags_nameKey"`);
    await queryRunner.query(`CREATE TABLE "temporary_tags" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "name" varchar(40) NOT NULL, "nameKey" varchar(40) NOT NULL, "color" varchar(7))`);
    await queryRunner.query(`INSERT INTO "temporary_tags"("id", "name", "nameKey", "color") SELECT "id", "name", "nameKey", "color" FROM "tags"`);
    await queryRunner.query(`DELETE FROM sqlite_sequence WHERE name = 'temporary_tags'`);
    await queryRunner.query(`UPDATE sqlite_sequence SET name = 'temporary_tags' WHERE name = 'tags'`);
    await queryRunner.query(`DROP TABLE "tags"`);
    await queryRunner.query(`ALTER TABLE "temporary_tags" RENAME TO "tags"`);
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_tags_nameKey" ON "tags" ("nameKey") `);
    await queryRunner.query(`DROP INDEX "UQ_projects_nameKey"`);
    await queryRunner.query(`CREATE TABLE "temporary_projects" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "name" varchar(120) NOT NULL, "nameKey" varchar(120) NOT NULL, "description" text, "archived" boolean NOT NULL DEFAULT (0), "createdAt" datetime NOT NULL, "updatedAt" datetime NOT NULL)`);
    await queryRunner.query(`INSERT INTO "temporary_projects"("id", "name", "nameKey", "description", "archived", "createdAt", "updatedAt") SELECT "id", "name", "nameKey", "description", "archived", "createdAt", "updatedAt" FROM "projects"`);
    await queryRunner.query(`DELETE FROM sqlite_sequence WHERE name = 'temporary_projects'`);
    await queryRunner.query(`UPDATE sqlite_sequence SET name = 'temporary_projects' WHERE name = 'projects'`);
    await queryRunner.query(`DROP TABLE "projects"`);
    await queryRunner.query(`ALTER TABLE "temporary_projects" RENAME TO "projects"`);
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_projects_nameKey" ON "projects" ("nameKey") `);
  }
}
