import { ApiProperty, PartialType } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsString, Matches } from 'class-validator';
import { CodePointLength } from '../../shared/code-point-length';
import { NO_NUL } from '../../shared/optional';
import { CreateTaskDto } from './create-task.dto';

export class UpdateTaskDto extends PartialType(CreateTaskDto, { skipNullProperties: false }) {}

/** Body of `PUT /api/tasks/:id/tags`: the task's complete new set of tag names. */
export class ReplaceTagsDto {
  @ApiProperty({
    type: [String],
    maxItems: 50,
    description: 'Names of existing tags (case-insensitive); unknown names are a 400',
  })
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @CodePointLength(1, 40, { each: true })
  @Matches(NO_NUL, { each: true, message: 'tags must not contain NUL characters' })
  tags: string[];
}
