import { MigrationInterface, QueryRunner } from 'typeorm';

export class InitialSchema1795696627000 implements MigrationInterface {
  name = 'InitialSchema1795696627000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "projects" ("id" SERIAL NOT NULL, "name" character varying(120) NOT NULL, "nameKey" character varying(120) NOT NULL, "description" text, "archived" boolean NOT NULL DEFAULT false, "createdAt" TIMESTAMP WITH TIME ZONE NOT NULL, "updatedAt" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_6271df0a7aed1d6c0691ce6ac50" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_projects_nameKey" ON "projects"  ("nameKey") `);
    await queryRunner.query(`CREATE TABLE "tags" ("id" SERIAL NOT NULL, "name" character varying(40) NOT NULL, "nameKey" character varying(40) NOT NULL, "color" character varying(7), CONSTRAINT "PK_e7dc17249a1148a1970748eda99" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_tags_nameKey" ON "tags"  ("nameKey") `);
    await queryRunner.query(`CREATE TABLE "tasks" ("id" SERIAL NOT NULL, "projectId" integer NOT NULL, "title" character varying(200) NOT NULL, "notes" text, "searchKey" text NOT NULL, "status" character varying(16) NOT NULL DEFAULT 'todo', "priority" integer NOT NULL DEFAULT '3', "dueAt" TIMESTAMP WITH TIME ZONE, "estimateHours" numeric(8,2), "metadata" jsonb, "createdAt" TIMESTAMP WITH TIME ZONE NOT NULL, "updatedAt" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "CHK_tasks_priority" CHECK ("priority" BETWEEN 1 AND 5), CONSTRAINT "CHK_tasks_status" CHECK ("status" IN ('todo', 'in_progress', 'done')), CONSTRAINT "PK_8d12ff38fcc62aaba2cab748772" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_tasks_projectId" ON "tasks"  ("projectId") `);
    await queryRunner.query(`CREATE INDEX "IDX_tasks_dueAt" ON "tasks"  ("dueAt") `);
    await queryRunner.query(`CREATE TABLE "task_tags" ("taskId" integer NOT NULL, "tagId" integer NOT NULL, CONSTRAINT "PK_20be04cfd9558da670ed177211d" PRIMARY KEY ("taskId", "tagId"))`);
    await queryRunner.query(`CREATE INDEX "IDX_1470ad368e79cb5636163a4bf8" ON "task_tags"  ("taskId") `);
    await queryRunner.query(`CREATE INDEX "IDX_ac1cfe87c11bc138ee8675cff3" ON "task_tags"  ("tagId") `);
    await queryRunner.query(`ALTER TABLE "tasks" ADD CONSTRAINT "FK_e08fca67ca8966e6b9914bf2956" FOREIGN KEY ("projectId") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "task_tags" ADD CONSTRAINT "FK_1470ad368e79cb5636163a4bf8d" FOREIGN KEY ("taskId") REFERENCES "tasks"("id") ON DELETE CASCADE ON UPDATE CASCADE`);
    await queryRunner.query(`ALTER TABLE "task_tags" ADD CONSTRAINT "FK_ac1cfe87c11bc138ee8675cff3c" FOREIGN KEY ("tagId") REFERENCES "tags"("id") ON DELETE CASCADE ON UPDATE CASCADE`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "task_tags" DROP CONSTRAINT "FK_ac1cfe87c11bc138ee8675cff3c"`);
    await queryRunner.query(`ALTER TABLE "task_tags" DROP CONSTRAINT "FK_1470ad368e79cb5636163a4bf8d"`);
    await queryRunner.query(`ALTER TABLE "tasks" DROP CONSTRAINT "FK_e08fca67ca8966e6b9914bf2956"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_ac1cfe87c11bc138ee8675cff3"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_1470ad368e79cb5636163a4bf8"`);
    await queryRunner.query(`DROP TABLE "task_tags"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_tasks_dueAt"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_tasks_projectId"`);
    await queryRunner.query(`DROP TABLE "tasks"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_tags_nameKey"`);
    await queryRunner.query(`DROP TABLE "tags"`);
    await queryRunner.query(`DROP INDEX "public"."UQ_projects_nameKey"`);
    await queryRunner.query(`DROP TABLE "projects"`);
  }
}
