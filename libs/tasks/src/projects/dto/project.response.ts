import { ApiProperty } from '@nestjs/swagger';
import { Project } from '../project.entity';
import { formatInstant } from '../../shared/instant';
import { PageOf } from '../../shared/page';

export class ProjectResponse {
  @ApiProperty({ type: 'integer' })
  id: number;

  @ApiProperty()
  name: string;

  @ApiProperty({ type: String, nullable: true })
  description: string | null;

  @ApiProperty()
  archived: boolean;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt: string;

  static from(project: Project): ProjectResponse {
    return {
      id: project.id,
      name: project.name,
      description: project.description,
      archived: project.archived,
      createdAt: formatInstant(project.createdAt),
      updatedAt: formatInstant(project.updatedAt),
    };
  }
}

export class ProjectPage extends PageOf(ProjectResponse) {}
