import { MigrationInterface, QueryRunner } from 'typeorm';

export class InitialSchema1795696210491 implements MigrationInterface {
  name = 'InitialSchema1795696210491';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "projects" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "name" varchar(120) NOT NULL, "nameKey" varchar(120) NOT NULL, "description" text, "archived" boolean NOT NULL DEFAULT (0), "createdAt" datetime NOT NULL, "updatedAt" datetime NOT NULL)`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_projects_nameKey" ON "projects" ("nameKey") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "UQ_projects_nameKey"`);
    await queryRunner.query(`DROP TABLE "projects"`);
  }
}
