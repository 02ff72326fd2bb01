import { MigrationInterface } from 'typeorm';

/**
 * Nothing to repair on PostgreSQL: pg reads jsonb as the object it is, so the SQLite bug that
 * RepairBufferMetadata (sqlite) repairs never happened here. Kept so that both dialects hold the
 * same migrations.
 */
export class RepairBufferMetadata1795969345294 implements MigrationInterface {
  name = 'RepairBufferMetadata1795969345294';

  public async up(): Promise<void> {}

  public async down(): Promise<void> {}
}
