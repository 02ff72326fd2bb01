import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `nameKey` becomes text: NFKC and lower case can make it longer than the name (U+FDFA is 18
 * characters). Generated as DROP COLUMN + ADD COLUMN (which loses every key and fails on a
 * table with rows), rewritten as ALTER COLUMN ... TYPE, which keeps them and rebuilds the unique
 * index. down() fails, changing nothing, while a key is longer than the old varchar.
 */
export class UnboundedNameKeys1795833677418 implements MigrationInterface {
  name = 'UnboundedNameKeys1795833677418';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "projects" ALTER COLUMN "nameKey" TYPE text`);
    await queryRunner.query(`ALTER TABLE "tags" ALTER COLUMN "nameKey" TYPE text`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "tags" ALTER COLUMN "nameKey" TYPE character varying(40)`);
    await queryRunner.query(
      `ALTER TABLE "projects" ALTER COLUMN "nameKey" TYPE character varying(120)`,
    );
  }
}
