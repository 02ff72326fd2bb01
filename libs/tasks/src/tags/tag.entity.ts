import { BeforeInsert, BeforeUpdate, Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { searchKey } from '../shared/search-key';

@Entity('tags')
export class Tag {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ length: 40 })
  name: string;

  /** Case-folded name: unique case-insensitively on both dialects. */
  @Index('UQ_tags_nameKey', { unique: true })
  @Column({ length: 40 })
  nameKey: string;

  /** `#rrggbb` or null. */
  @Column({ type: 'varchar', length: 7, nullable: true })
  color: string | null;

  @BeforeInsert()
  @BeforeUpdate()
  protected deriveKey(): void {
    this.nameKey = searchKey(this.name);
  }
}
