import { MigrationInterface, QueryRunner } from 'typeorm';

export class TasksCreatedAtIndex1795708025110 implements MigrationInterface {
  name = 'TasksCreatedAtIndex1795708025110';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // Building the index reads the whole table: not bound by DB_STATEMENT_TIMEOUT_MS (this
    // transaction only).
    await queryRunner.query(`SET LOCAL statement_timeout = 0`);
    await queryRunner.query(`CREATE INDEX "IDX_tasks_createdAt_id" ON "tasks"  ("createdAt", "id") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_tasks_createdAt_id"`);
  }
}
