import { MigrationInterface, QueryRunner } from 'typeorm';

export class TasksCreatedAtIndex1795708025110 implements MigrationInterface {
  name = 'TasksCreatedAtIndex1795708025110';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "IDX_tasks_createdAt_id" ON "tasks" ("createdAt", "id") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "IDX_tasks_createdAt_id"`);
  }
}
