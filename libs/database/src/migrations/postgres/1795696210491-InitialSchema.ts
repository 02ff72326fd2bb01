import { MigrationInterface, QueryRunner } from 'typeorm';

export class InitialSchema1795696210491 implements MigrationInterface {
  name = 'InitialSchema1795696210491';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "projects" ("id" SERIAL NOT NULL, "name" character varying(120) NOT NULL, "nameKey" character varying(120) NOT NULL, "description" text, "archived" boolean NOT NULL DEFAULT false, "createdAt" TIMESTAMP WITH TIME ZONE NOT NULL, "updatedAt" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_6271df0a7aed1d6c0691ce6ac50" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "UQ_projects_nameKey" ON "projects"  ("nameKey") `,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."UQ_projects_nameKey"`);
    await queryRunner.query(`DROP TABLE "projects"`);
  }
}
