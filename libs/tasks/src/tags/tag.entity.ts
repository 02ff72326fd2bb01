import { BeforeInsert, BeforeUpdate, Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { searchKey } from '../shared/search-key';

@Entity('tags')
export class Tag {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ length: 40 })
  name: string;

  /**
   * Case-folded name: unique case-insensitively on both dialects. Unbounded: NFKC and lower
   * case can make it longer than the name (U+FDFA is 18 characters, U+0130 two).
   */
  @Index('UQ_tags_nameKey', { unique: true })
  @Column({ type: 'text' })
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
