import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Patch,
  Post,
  Put,
  Query,
  Res,
} from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ApiProblems, IdParam } from '@app/http';
import { Page } from '../shared/page';
import { CreateTaskDto } from './dto/create-task.dto';
import { ListTasksQuery, ProjectTasksQuery } from './dto/list-tasks.query';
import { TaskPage, TaskResponse } from './dto/task.response';
import { ReplaceTagsDto, UpdateTaskDto } from './dto/update-task.dto';
import { TaskWithTags } from './task-reader';
import { TasksService } from './tasks.service';

const LOCATION = { Location: { description: 'URL of the new task', schema: { type: 'string' } } };
const toResponse = ({ task, tags }: TaskWithTags) => TaskResponse.from(task, tags);
const toPage = (page: Page<TaskWithTags>): TaskPage => ({
  ...page,
  items: page.items.map(toResponse),
});

@ApiTags('tasks')
@Controller()
export class TasksController {
  constructor(private readonly tasks: TasksService) {}

  @Post('tasks')
  @ApiCreatedResponse({ type: TaskResponse, headers: LOCATION })
  @ApiProblems(400, 409, 413, 415)
  async create(
    @Body() dto: CreateTaskDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TaskResponse> {
    const created = await this.tasks.create(dto);
    reply.header('Location', `/api/tasks/${created.task.id}`);
    return toResponse(created);
  }

  @Get('tasks')
  @ApiOkResponse({ type: TaskPage })
  @ApiProblems(400)
  async list(@Query() query: ListTasksQuery): Promise<TaskPage> {
    return toPage(await this.tasks.list(query));
  }

  @Get('projects/:id/tasks')
  @ApiTags('projects')
  @ApiOkResponse({ type: TaskPage })
  @ApiProblems(400, 404)
  async listForProject(
    @IdParam() id: number,
    @Query() query: ProjectTasksQuery,
  ): Promise<TaskPage> {
    return toPage(await this.tasks.listForProject(id, query as ListTasksQuery));
  }

  @Get('tasks/:id')
  @ApiOkResponse({ type: TaskResponse })
  @ApiProblems(400, 404)
  async get(@IdParam() id: number): Promise<TaskResponse> {
    return toResponse(await this.tasks.get(id));
  }

  @Patch('tasks/:id')
  @ApiOkResponse({ type: TaskResponse })
  @ApiProblems(400, 404, 409, 413, 415)
  async update(@IdParam() id: number, @Body() dto: UpdateTaskDto): Promise<TaskResponse> {
    return toResponse(await this.tasks.update(id, dto));
  }

  @Put('tasks/:id/tags')
  @ApiOkResponse({ type: TaskResponse, description: 'The task with its new tags' })
  @ApiProblems(400, 404, 409, 413, 415)
  async replaceTags(@IdParam() id: number, @Body() dto: ReplaceTagsDto): Promise<TaskResponse> {
    return toResponse(await this.tasks.replaceTags(id, dto.tags));
  }

  @Delete('tasks/:id')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Deleted' })
  // 409: the delete (and its cascade) deadlocked with a concurrent write on PostgreSQL.
  @ApiProblems(400, 404, 409, 413, 415)
  remove(@IdParam() id: number): Promise<void> {
    return this.tasks.remove(id);
  }
}
