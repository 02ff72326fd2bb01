import { MigrationInterface, QueryRunner } from 'typeorm';

// Generated, then tidied by hand: foreign keys are declared inline at CREATE TABLE instead of
// the generator's create-then-rebuild, which yields the same schema (migration:check agrees).
export class InitialSchema1795696627000 implements MigrationInterface {
  name = 'InitialSchema1795696627000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "projects" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "name" varchar(120) NOT NULL, "nameKey" varchar(120) NOT NULL, "description" text, "archived" boolean NOT NULL DEFAULT (0), "createdAt" datetime NOT NULL, "updatedAt" datetime NOT NULL)`);
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_projects_nameKey" ON "projects" ("nameKey") `);
    await queryRunner.query(`CREATE TABLE "tags" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "name" varchar(40) NOT NULL, "nameKey" varchar(40) NOT NULL, "color" varchar(7))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_tags_nameKey" ON "tags" ("nameKey") `);
    await queryRunner.query(`CREATE TABLE "tasks" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "projectId" integer NOT NULL, "title" varchar(200) NOT NULL, "notes" text, "searchKey" text NOT NULL, "status" varchar(16) NOT NULL DEFAULT ('todo'), "priority" integer NOT NULL DEFAULT (3), "dueAt" datetime, "estimateHours" decimal(8,2), "metadata" jsonb, "createdAt" datetime NOT NULL, "updatedAt" datetime NOT NULL, CONSTRAINT "CHK_tasks_priority" CHECK ("priority" BETWEEN 1 AND 5), CONSTRAINT "CHK_tasks_status" CHECK ("status" IN ('todo', 'in_progress', 'done')), CONSTRAINT "FK_e08fca67ca8966e6b9914bf2956" FOREIGN KEY ("projectId") REFERENCES "projects" ("id") ON DELETE CASCADE ON UPDATE NO ACTION)`);
    await queryRunner.query(`CREATE INDEX "IDX_tasks_projectId" ON "tasks" ("projectId") `);
    await queryRunner.query(`CREATE INDEX "IDX_tasks_dueAt" ON "tasks" ("dueAt") `);
    await queryRunner.query(`CREATE TABLE "task_tags" ("taskId" integer NOT NULL, "tagId" integer NOT NULL, CONSTRAINT "FK_1470ad368e79cb5636163a4bf8d" FOREIGN KEY ("taskId") REFERENCES "tasks" ("id") ON DELETE CASCADE ON UPDATE CASCADE, CONSTRAINT "FK_ac1cfe87c11bc138ee8675cff3c" FOREIGN KEY ("tagId") REFERENCES "tags" ("id") ON DELETE CASCADE ON UPDATE CASCADE, PRIMARY KEY ("taskId", "tagId"))`);
    await queryRunner.query(`CREATE INDEX "IDX_1470ad368e79cb5636163a4bf8" ON "task_tags" ("taskId") `);
    await queryRunner.query(`CREATE INDEX "IDX_ac1cfe87c11bc138ee8675cff3" ON "task_tags" ("tagId") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "IDX_ac1cfe87c11bc138ee8675cff3"`);
    await queryRunner.query(`DROP INDEX "IDX_1470ad368e79cb5636163a4bf8"`);
    await queryRunner.query(`DROP TABLE "task_tags"`);
    await queryRunner.query(`DROP INDEX "IDX_tasks_dueAt"`);
    await queryRunner.query(`DROP INDEX "IDX_tasks_projectId"`);
    await queryRunner.query(`DROP TABLE "tasks"`);
    await queryRunner.query(`DROP INDEX "UQ_tags_nameKey"`);
    await queryRunner.query(`DROP TABLE "tags"`);
    await queryRunner.query(`DROP INDEX "UQ_projects_nameKey"`);
    await queryRunner.query(`DROP TABLE "projects"`);
  }
}
