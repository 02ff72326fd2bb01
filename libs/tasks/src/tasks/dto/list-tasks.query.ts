import { ApiProperty, OmitType } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString } from 'class-validator';
import { NumberRange } from '../../shared/bounds';
import { CodePointLength } from '../../shared/code-point-length';
import { IsInstant } from '../../shared/instant';
import { PageQuery, QueryInteger } from '../../shared/page';
import { TASK_STATUSES, TaskStatus } from '../task.entity';

export const SORT_FIELDS = ['createdAt', 'dueAt', 'priority', 'title'] as const;
export type SortField = (typeof SORT_FIELDS)[number];
export const SORTS = SORT_FIELDS.flatMap((field) => [field, `-${field}`]);

export class ListTasksQuery extends PageQuery {
  @ApiProperty({ type: 'integer', required: false, minimum: 1, maximum: 2_147_483_647 })
  @IsOptional()
  @QueryInteger()
  @IsInt()
  @NumberRange(1, 2_147_483_647)
  projectId?: number;

  @ApiProperty({ enum: TASK_STATUSES, required: false })
  @IsOptional()
  @IsIn(TASK_STATUSES)
  status?: TaskStatus;

  @ApiProperty({ required: false, minLength: 1, maxLength: 40, description: 'A tag name' })
  @IsOptional()
  @IsString()
  @CodePointLength(1, 40)
  tag?: string;

  @ApiProperty({
    required: false,
    format: 'date-time',
    description: 'Tasks due strictly before this instant',
  })
  @IsOptional()
  @IsInstant()
  dueBefore?: string;

  @ApiProperty({
    required: false,
    format: 'date-time',
    description: 'Tasks due at or after this instant',
  })
  @IsOptional()
  @IsInstant()
  dueAfter?: string;

  @ApiProperty({
    required: false,
    enum: SORTS,
    default: 'createdAt',
    description:
      '`-` sorts descending; ties by id in the same direction; tasks without dueAt sort last',
  })
  @IsOptional()
  @IsIn(SORTS)
  sort: string = 'createdAt';
}

/** The same filters for `GET /api/projects/:id/tasks`, where the project comes from the path. */
export class ProjectTasksQuery extends OmitType(ListTasksQuery, ['projectId'] as const) {}
