import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { searchKey } from '../shared/search-key';
import { Timestamped } from '../shared/timestamped';

@Entity('projects')
export class Project extends Timestamped {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ length: 120 })
  name: string;

  /**
   * Case-folded name: the case-insensitive unique key and search column on both dialects.
   * Unbounded: NFKC and lower case can make it longer than the name (see `searchKey`).
   */
  @Index('UQ_projects_nameKey', { unique: true })
  @Column({ type: 'text' })
  nameKey: string;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  @Column({ default: false })
  archived: boolean;

  protected deriveKeys(): void {
    this.nameKey = searchKey(this.name);
  }
}
