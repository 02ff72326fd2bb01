import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches } from 'class-validator';
import { CodePointLength } from '../../shared/code-point-length';
import { Nullable, NoNul } from '../../shared/optional';

export class CreateTagDto {
  @ApiProperty({ minLength: 1, maxLength: 40, description: 'Unique, case-insensitively' })
  @IsString()
  @CodePointLength(1, 40)
  @NoNul()
  name: string;

  @ApiProperty({
    type: String,
    nullable: true,
    required: false,
    pattern: '^#[0-9a-fA-F]{6}$',
    example: '#22aa88',
  })
  @Nullable()
  @Matches(/^#[0-9a-fA-F]{6}$/, { message: 'color must be #rrggbb' })
  color?: string | null;
}
