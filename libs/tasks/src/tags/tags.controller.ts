import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ApiProblems, IdParam } from '@app/http';
import { PageQuery } from '../shared/page';
import { CreateTagDto } from './dto/create-tag.dto';
import { TagPage, TagResponse } from './dto/tag.response';
import { UpdateTagDto } from './dto/update-tag.dto';
import { TagsService } from './tags.service';

const LOCATION = { Location: { description: 'URL of the new tag', schema: { type: 'string' } } };

@ApiTags('tags')
@Controller('tags')
export class TagsController {
  constructor(private readonly tags: TagsService) {}

  @Post()
  @ApiCreatedResponse({ type: TagResponse, headers: LOCATION })
  @ApiProblems(400, 409, 413, 415)
  async create(
    @Body() dto: CreateTagDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TagResponse> {
    const tag = await this.tags.create(dto);
    reply.header('Location', `/api/tags/${tag.id}`);
    return TagResponse.from(tag);
  }

  @Get()
  @ApiOkResponse({ type: TagPage })
  @ApiProblems(400)
  async list(@Query() query: PageQuery): Promise<TagPage> {
    const page = await this.tags.list(query);
    return { ...page, items: page.items.map((tag) => TagResponse.from(tag)) };
  }

  @Get(':id')
  @ApiOkResponse({ type: TagResponse })
  @ApiProblems(400, 404)
  async get(@IdParam() id: number): Promise<TagResponse> {
    return TagResponse.from(await this.tags.get(id));
  }

  @Patch(':id')
  @ApiOkResponse({ type: TagResponse })
  @ApiProblems(400, 404, 409, 413, 415)
  async update(@IdParam() id: number, @Body() dto: UpdateTagDto): Promise<TagResponse> {
    return TagResponse.from(await this.tags.update(id, dto));
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Deleted; the tag is removed from every task' })
  // 409: the delete (and its cascade) deadlocked with a concurrent write on PostgreSQL.
  @ApiProblems(400, 404, 409, 413, 415)
  remove(@IdParam() id: number): Promise<void> {
    return this.tags.remove(id);
  }
}
