import { BeforeInsert, BeforeUpdate, Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { searchKey } from '../shared/search-key';

@Entity('projects')
export class Project {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ length: 120 })
  name: string;

  /** Case-folded name: the case-insensitive unique key and search column on both dialects. */
  @Index('UQ_projects_nameKey', { unique: true })
  @Column({ length: 120 })
  nameKey: string;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  @Column({ default: false })
  archived: boolean;

  @Column()
  createdAt: Date;

  @Column()
  updatedAt: Date;

  @BeforeInsert()
  protected beforeInsert(): void {
    this.beforeUpdate();
    // The same instant as updatedAt: a new row was created and last updated at one time.
    this.createdAt ??= this.updatedAt;
  }

  @BeforeUpdate()
  protected beforeUpdate(): void {
    this.updatedAt = new Date();
    this.nameKey = searchKey(this.name);
  }
}
