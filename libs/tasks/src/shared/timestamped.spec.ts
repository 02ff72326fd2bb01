import { DataSource, Repository } from 'typeorm';
import { migratedMemorySqlite } from '../../../../tools/testing/migrated-data-source';
import { Project } from '../projects/project.entity';

describe('Timestamped (through Project on SQLite)', () => {
  let dataSource: DataSource;
  let projects: Repository<Project>;

  beforeAll(async () => {
    dataSource = await migratedMemorySqlite();
    projects = dataSource.getRepository(Project);
  });
  afterAll(() => dataSource?.destroy());

  it('sets createdAt and updatedAt to one instant on insert, and derives the keys', async () => {
    const before = Date.now();
    const project = await projects.save(projects.create({ name: 'Garden' }));
    expect(project.createdAt).toEqual(project.updatedAt);
    expect(project.createdAt.getTime()).toBeGreaterThanOrEqual(before);
    expect(project.createdAt.getTime()).toBeLessThanOrEqual(Date.now());
    expect(project.nameKey).toBe('garden');
  });

  it('keeps a createdAt given before the insert', async () => {
    const createdAt = new Date('2020-01-02T03:04:05.678Z');
    const project = await projects.save(projects.create({ name: 'Old', createdAt }));
    expect(project.createdAt).toEqual(createdAt);
    expect(project.updatedAt.getTime()).toBeGreaterThan(createdAt.getTime());
  });

  it('moves updatedAt on and derives the keys again on every update', async () => {
    const project = await projects.save(projects.create({ name: 'Yard' }));
    const { createdAt, updatedAt } = project;
    await new Promise((resolve) => setTimeout(resolve, 5));
    project.name = 'BACK YARD';
    await projects.save(project);
    const stored = await projects.findOneByOrFail({ id: project.id });
    expect(stored.createdAt).toEqual(createdAt);
    expect(stored.updatedAt.getTime()).toBeGreaterThan(updatedAt.getTime());
    expect(stored.nameKey).toBe('back yard');
  });
});
