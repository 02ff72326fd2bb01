import { ApiProperty } from '@nestjs/swagger';
import { Tag } from '../tag.entity';
import { PageOf } from '../../shared/page';

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

export class TagPage extends PageOf(TagResponse) {}
