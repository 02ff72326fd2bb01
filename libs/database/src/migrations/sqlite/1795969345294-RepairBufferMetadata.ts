import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Until this version, a task whose metadata was changed by PATCH read back, by id, as the Buffer
 * of its binary JSONB (`{"type":"Buffer","data":[76,23,…]}`), and every later save of the task
 * stored that object, wrapped once more, in place of its metadata. The bytes are all there:
 * each pass unwraps one layer, where the bytes are a valid JSONB object. A `type`/`data` object
 * whose bytes are anything else is left as it is (a client's own value).
 */
const WRAPPED = `
  SELECT "id", (
    SELECT unhex(group_concat(printf('%02X', "value"), '' ORDER BY "key"))
      FROM json_each("tasks"."metadata", '$.data')
  ) AS "bytes"
  FROM "tasks"
  WHERE CASE WHEN json_valid("metadata", 9) THEN
      json_type("metadata") = 'object'
      AND json_extract("metadata", '$.type') = 'Buffer'
      AND json_type("metadata", '$.data') = 'array'
      AND (SELECT count(*) FROM json_each("tasks"."metadata")) = 2
      AND NOT EXISTS (
        SELECT 1 FROM json_each("tasks"."metadata", '$.data')
         WHERE "type" <> 'integer' OR "value" NOT BETWEEN 0 AND 255
      )
    END`;

export class RepairBufferMetadata1795969345294 implements MigrationInterface {
  name = 'RepairBufferMetadata1795969345294';

  public async up(queryRunner: QueryRunner): Promise<void> {
    for (;;) {
      const rows: { id: number; bytes: Buffer | null }[] = await queryRunner.query(WRAPPED);
      const repaired = rows.filter(({ bytes }) => bytes && bytes.length > 0);
      let changed = 0;
      for (const { id, bytes } of repaired) {
        // Only a valid JSONB object replaces the value (strict check: json_valid flag 8).
        await queryRunner.query(
          `UPDATE "tasks" SET "metadata" = ? WHERE "id" = ? ` +
            `AND CASE WHEN json_valid(?, 8) THEN json_type(?) = 'object' END`,
          [bytes, id, bytes, bytes],
        );
        const [{ n }] = await queryRunner.query(`SELECT changes() AS "n"`);
        changed += Number(n);
      }
      if (changed === 0) return;
    }
  }

  public async down(): Promise<void> {
    // Nothing to undo: the repaired values are what the clients stored.
  }
}
