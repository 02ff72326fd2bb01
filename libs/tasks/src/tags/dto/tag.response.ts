import { ApiProperty } from '@nestjs/swagger';
import { Tag } from '../tag.entity';

export class TagResponse {
  @ApiProperty({ type: 'integer' })
  id: number;

  @ApiProperty()
  name: string;

  @ApiProperty({ type: String, nullable: true, pattern: '^#[0-9a-fA-F]{6}$' })
  color: string | null;

  static from(tag: Tag): TagResponse {
    return { id: tag.id, name: tag.name, color: tag.color };
  }
}

export class TagPage {
  @ApiProperty({ type: [TagResponse] })
  items: TagResponse[];

  @ApiProperty({ type: 'integer' })
  total: number;

  @ApiProperty({ type: 'integer' })
  limit: number;

  @ApiProperty({ type: 'integer' })
  offset: number;
}
