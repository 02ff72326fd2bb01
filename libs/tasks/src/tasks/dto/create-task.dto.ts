import { ApiProperty } from '@nestjs/swagger';
import { IsArray, IsIn, IsInt, IsString } from 'class-validator';
import { MaxItems, NumberRange, StringItems } from '../../shared/bounds';
import { CodePointLength } from '../../shared/code-point-length';
import { IsDecimalNumber } from '../../shared/decimal';
import { IsInstant } from '../../shared/instant';
import { IsJsonObject } from '../../shared/json-object';
import { Nullable, NoNul, Optional } from '../../shared/optional';
import { TASK_STATUSES, TaskStatus } from '../task.entity';

/** Largest accepted `metadata`, serialized as UTF-8 JSON. */
export const METADATA_MAX_BYTES = 16 * 1024;

export class CreateTaskDto {
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 2_147_483_647 })
  @IsInt()
  @NumberRange(1, 2_147_483_647)
  projectId: number;

  @ApiProperty({ minLength: 1, maxLength: 200 })
  @IsString()
  @CodePointLength(1, 200)
  @NoNul()
  title: string;

  @ApiProperty({ type: String, nullable: true, required: false, maxLength: 10_000 })
  @Nullable()
  @IsString()
  @CodePointLength(0, 10_000)
  @NoNul()
  notes?: string | null;

  @ApiProperty({ enum: TASK_STATUSES, required: false, default: 'todo' })
  @Optional()
  @IsIn(TASK_STATUSES)
  status?: TaskStatus;

  @ApiProperty({ type: 'integer', minimum: 1, maximum: 5, required: false, default: 3 })
  @Optional()
  @IsInt()
  @NumberRange(1, 5)
  priority?: number;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    required: false,
    description: 'ISO-8601 with Z or an offset; stored as an instant, returned in UTC',
  })
  @Nullable()
  @IsInstant()
  dueAt?: string | null;

  @ApiProperty({
    type: Number,
    nullable: true,
    required: false,
    minimum: 0,
    maximum: 999_999.99,
    description: 'Hours, at most 2 decimals',
  })
  @Nullable()
  @IsDecimalNumber(2)
  @NumberRange(0, 999_999.99)
  estimateHours?: number | null;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    selfRequired: false,
    description: `Any JSON object, at most ${METADATA_MAX_BYTES} bytes serialized`,
  })
  @Nullable()
  @IsJsonObject(METADATA_MAX_BYTES)
  metadata?: Record<string, unknown> | null;

  @ApiProperty({
    type: [String],
    required: false,
    maxItems: 50,
    items: { type: 'string', minLength: 1, maxLength: 40 },
    description: 'Names of existing tags (case-insensitive); unknown names are a 400',
  })
  @Optional()
  @IsArray()
  @MaxItems(50)
  @StringItems()
  @CodePointLength(1, 40, { each: true })
  @NoNul({ each: true })
  tags?: string[];
}
