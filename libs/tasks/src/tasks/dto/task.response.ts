import { ApiProperty } from '@nestjs/swagger';
import { Task, TASK_STATUSES, TaskStatus } from '../task.entity';
import { formatInstant } from '../../shared/instant';
import { PageOf } from '../../shared/page';

export class TaskResponse {
  @ApiProperty({ type: 'integer' })
  id: number;

  @ApiProperty({ type: 'integer' })
  projectId: number;

  @ApiProperty()
  title: string;

  @ApiProperty({ type: String, nullable: true })
  notes: string | null;

  @ApiProperty({ enum: TASK_STATUSES })
  status: TaskStatus;

  @ApiProperty({ type: 'integer', minimum: 1, maximum: 5 })
  priority: number;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  dueAt: string | null;

  @ApiProperty({ type: Number, nullable: true, minimum: 0 })
  estimateHours: number | null;

  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true })
  metadata: Record<string, unknown> | null;

  @ApiProperty({ type: [String], description: 'Tag names, sorted' })
  tags: string[];

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt: string;

  /** `tagNames` overrides `task.tags` (lists load the names of a whole page in one query). */
  static from(task: Task, tagNames = (task.tags ?? []).map((tag) => tag.name)): TaskResponse {
    return {
      id: task.id,
      projectId: task.projectId,
      title: task.title,
      notes: task.notes,
      status: task.status,
      priority: task.priority,
      dueAt: task.dueAt ? formatInstant(task.dueAt) : null,
      estimateHours: task.estimateHours,
      metadata: task.metadata,
      tags: [...tagNames].sort(),
      createdAt: formatInstant(task.createdAt),
      updatedAt: formatInstant(task.updatedAt),
    };
  }
}

export class TaskPage extends PageOf(TaskResponse) {}
