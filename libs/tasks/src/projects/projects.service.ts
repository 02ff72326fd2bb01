import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { Page, PageQuery } from '../shared/page';
import { RowLock } from '../shared/row-lock';
import { containsPattern, searchCondition } from '../shared/search-key';
import { CreateProjectDto } from './dto/create-project.dto';
import { UpdateProjectDto } from './dto/update-project.dto';
import { Project } from './project.entity';

@Injectable()
export class ProjectsService {
  private existsSql?: string;
  private readonly rowLock: RowLock<Project>;

  constructor(@InjectRepository(Project) private readonly projects: Repository<Project>) {
    this.rowLock = new RowLock(projects);
  }

  create(dto: CreateProjectDto): Promise<Project> {
    return this.projects.save(this.projects.create({ description: null, archived: false, ...dto }));
  }

  async list({ limit, offset, q }: PageQuery): Promise<Page<Project>> {
    const query = this.projects
      .createQueryBuilder('p')
      .orderBy('p.id', 'ASC')
      .take(limit)
      .skip(offset);
    if (q) query.where(searchCondition('p.nameKey'), { pattern: containsPattern(q) });
    const [items, total] = await query.getManyAndCount();
    return { items, total, limit, offset };
  }

  /** The project, read through `manager` (a transaction's, when given). */
  async get(id: number, manager = this.projects.manager): Promise<Project> {
    const project = await manager.findOneBy(Project, { id });
    if (!project) throw new NotFoundException(`Project ${id} does not exist`);
    return project;
  }

  /** One cached statement: the create/update hot path checks this on every request. */
  async exists(id: number, manager = this.projects.manager): Promise<boolean> {
    const { driver } = this.projects.manager.connection;
    this.existsSql ??=
      `SELECT 1 AS ${driver.escape('found')} FROM ${driver.escape('projects')} ` +
      `WHERE ${driver.escape('id')} = ${driver.createParameter('id', 0)}`;
    const rows = await manager.query<unknown[]>(this.existsSql, [id]);
    return rows.length > 0;
  }

  update(id: number, dto: UpdateProjectDto): Promise<Project> {
    return this.rowLock.run(id, async (manager) => {
      const project = await this.get(id, manager);
      return manager.save(Project, manager.merge(Project, project, dto));
    });
  }

  async remove(id: number): Promise<void> {
    const { affected } = await this.projects.delete({ id });
    if (!affected) throw new NotFoundException(`Project ${id} does not exist`);
  }
}
