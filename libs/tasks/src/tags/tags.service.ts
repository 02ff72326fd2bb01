import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import { ValidationProblem } from '@app/http';
import { Page, PageQuery } from '../shared/page';
import { RowLock } from '../shared/row-lock';
import { containsPattern, searchCondition, searchKey } from '../shared/search-key';
import { CreateTagDto } from './dto/create-tag.dto';
import { UpdateTagDto } from './dto/update-tag.dto';
import { Tag } from './tag.entity';

@Injectable()
export class TagsService {
  private readonly rowLock: RowLock<Tag>;

  constructor(@InjectRepository(Tag) private readonly tags: Repository<Tag>) {
    this.rowLock = new RowLock(tags);
  }

  create(dto: CreateTagDto): Promise<Tag> {
    return this.tags.save(this.tags.create({ color: null, ...dto }));
  }

  async list({ limit, offset, q }: PageQuery): Promise<Page<Tag>> {
    const query = this.tags.createQueryBuilder('g').orderBy('g.id', 'ASC').take(limit).skip(offset);
    if (q) query.where(searchCondition('g.nameKey'), { pattern: containsPattern(q) });
    const [items, total] = await query.getManyAndCount();
    return { items, total, limit, offset };
  }

  /** The tag, read through `manager` (a transaction's, when given). */
  async get(id: number, manager = this.tags.manager): Promise<Tag> {
    const tag = await manager.findOneBy(Tag, { id });
    if (!tag) throw new NotFoundException(`Tag ${id} does not exist`);
    return tag;
  }

  update(id: number, dto: UpdateTagDto): Promise<Tag> {
    return this.rowLock.run(id, async (manager) => {
      const tag = await this.get(id, manager);
      return manager.save(Tag, manager.merge(Tag, tag, dto));
    });
  }

  async remove(id: number): Promise<void> {
    const { affected } = await this.tags.delete({ id });
    if (!affected) throw new NotFoundException(`Tag ${id} does not exist`);
  }

  /**
   * The existing tags named `names` (matched case-insensitively, duplicates ignored).
   * Unknown names are a 400 that lists them all: tags are created through `POST /api/tags` only.
   */
  async findByNames(names: string[], manager = this.tags.manager): Promise<Tag[]> {
    const keys = [...new Set(names.map(searchKey))];
    if (keys.length === 0) return [];
    const found = await manager.findBy(Tag, { nameKey: In(keys) });
    const known = new Set(found.map((tag) => tag.nameKey));
    const unknown = [...new Set(names.filter((name) => !known.has(searchKey(name))))];
    if (unknown.length > 0) {
      const message = `unknown tags: ${unknown.map((name) => JSON.stringify(name)).join(', ')}`;
      throw new ValidationProblem([{ field: 'tags', message }]);
    }
    return found;
  }
}
