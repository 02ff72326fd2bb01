import {
  Check,
  Column,
  Entity,
  Index,
  JoinColumn,
  JoinTable,
  ManyToMany,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { Project } from '../projects/project.entity';
import { searchKey } from '../shared/search-key';
import { Timestamped } from '../shared/timestamped';
import { Tag } from '../tags/tag.entity';

export const TASK_STATUSES = ['todo', 'in_progress', 'done'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

/** PostgreSQL returns numeric as a string; the API promises a JSON number on both dialects. */
const decimalAsNumber = {
  to: (value: number | null | undefined) => value,
  from: (value: string | number | null) => (value === null ? null : Number(value)),
};

@Entity('tasks')
@Check('CHK_tasks_status', `"status" IN ('todo', 'in_progress', 'done')`)
@Check('CHK_tasks_priority', `"priority" BETWEEN 1 AND 5`)
// The default list order (createdAt, then id): pages are read from the index in order, without
// sorting the whole table on every request.
@Index('IDX_tasks_createdAt_id', ['createdAt', 'id'])
export class Task extends Timestamped {
  @PrimaryGeneratedColumn()
  id: number;

  @Index('IDX_tasks_projectId')
  @Column()
  projectId: number;

  @ManyToOne(() => Project, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn({ name: 'projectId' })
  project?: Project;

  @Column({ length: 200 })
  title: string;

  @Column({ type: 'text', nullable: true })
  notes: string | null;

  /** Case-folded title and notes: case-insensitive search, the same on both dialects. */
  @Column({ type: 'text' })
  searchKey: string;

  @Column({ type: 'varchar', length: 16, default: 'todo' })
  status: TaskStatus;

  @Column({ type: 'int', default: 3 })
  priority: number;

  @Index('IDX_tasks_dueAt')
  @Column({ type: Date, nullable: true })
  dueAt: Date | null;

  @Column({ type: 'decimal', precision: 8, scale: 2, nullable: true, transformer: decimalAsNumber })
  estimateHours: number | null;

  @Column({ type: 'jsonb', nullable: true })
  metadata: Record<string, unknown> | null;

  @ManyToMany(() => Tag, { onDelete: 'CASCADE' })
  @JoinTable({
    name: 'task_tags',
    joinColumn: { name: 'taskId', referencedColumnName: 'id' },
    inverseJoinColumn: { name: 'tagId', referencedColumnName: 'id' },
  })
  tags?: Tag[];

  protected deriveKeys(): void {
    this.searchKey = searchKey(`${this.title}\n${this.notes ?? ''}`);
  }
}
