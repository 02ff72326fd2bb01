import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ApiProblems, IdParam } from '@app/http';
import { PageQuery } from '../shared/page';
import { CreateProjectDto } from './dto/create-project.dto';
import { ProjectPage, ProjectResponse } from './dto/project.response';
import { UpdateProjectDto } from './dto/update-project.dto';
import { ProjectsService } from './projects.service';

const LOCATION = {
  Location: { description: 'URL of the new project', schema: { type: 'string' } },
};

@ApiTags('projects')
@Controller('projects')
export class ProjectsController {
  constructor(private readonly projects: ProjectsService) {}

  @Post()
  @ApiCreatedResponse({ type: ProjectResponse, headers: LOCATION })
  @ApiProblems(400, 409, 413, 415)
  async create(
    @Body() dto: CreateProjectDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ProjectResponse> {
    const project = await this.projects.create(dto);
    reply.header('Location', `/api/projects/${project.id}`);
    return ProjectResponse.from(project);
  }

  @Get()
  @ApiOkResponse({ type: ProjectPage })
  @ApiProblems(400)
  async list(@Query() query: PageQuery): Promise<ProjectPage> {
    const page = await this.projects.list(query);
    return { ...page, items: page.items.map((p) => ProjectResponse.from(p)) };
  }

  @Get(':id')
  @ApiOkResponse({ type: ProjectResponse })
  @ApiProblems(400, 404)
  async get(@IdParam() id: number): Promise<ProjectResponse> {
    return ProjectResponse.from(await this.projects.get(id));
  }

  @Patch(':id')
  @ApiOkResponse({ type: ProjectResponse })
  @ApiProblems(400, 404, 409, 413, 415)
  async update(@IdParam() id: number, @Body() dto: UpdateProjectDto): Promise<ProjectResponse> {
    return ProjectResponse.from(await this.projects.update(id, dto));
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse()
  // 409: the delete (and its cascade) deadlocked with a concurrent write on PostgreSQL.
  @ApiProblems(400, 404, 409, 413, 415)
  remove(@IdParam() id: number): Promise<void> {
    return this.projects.remove(id);
  }
}
