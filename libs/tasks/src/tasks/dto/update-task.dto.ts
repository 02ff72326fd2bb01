import { ApiProperty, PartialType } from '@nestjs/swagger';
import { IsArray } from 'class-validator';
import { MaxItems, StringItems } from '../../shared/bounds';
import { CodePointLength } from '../../shared/code-point-length';
import { NoNul } from '../../shared/optional';
import { CreateTaskDto } from './create-task.dto';

export class UpdateTaskDto extends PartialType(CreateTaskDto, { skipNullProperties: false }) {}

/** Body of `PUT /api/tasks/:id/tags`: the task's complete new set of tag names. */
export class ReplaceTagsDto {
  @ApiProperty({
    type: [String],
    maxItems: 50,
    items: { type: 'string', minLength: 1, maxLength: 40 },
    description: 'Names of existing tags (case-insensitive); unknown names are a 400',
  })
  @IsArray()
  @MaxItems(50)
  @StringItems()
  @CodePointLength(1, 40, { each: true })
  @NoNul({ each: true })
  tags: string[];
}
