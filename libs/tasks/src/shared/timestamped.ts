import { BeforeInsert, BeforeUpdate, Column } from 'typeorm';

/**
 * The creation and last-change instants a row records, set by the entity's own listeners (the
 * same on both dialects, and on TaskReader's insert path, which runs them too). Subclasses
 * derive their case-folded search keys in `deriveKeys`, which runs on every insert and update.
 */
export abstract class Timestamped {
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
    this.deriveKeys();
  }

  protected abstract deriveKeys(): void;
}
