import { ApiProperty } from '@nestjs/swagger';
import { IsBoolean, IsString } from 'class-validator';
import { CodePointLength } from '../../shared/code-point-length';
import { Nullable, NoNul, Optional } from '../../shared/optional';

export class CreateProjectDto {
  @ApiProperty({ minLength: 1, maxLength: 120, description: 'Unique, case-insensitively' })
  @IsString()
  @CodePointLength(1, 120)
  @NoNul()
  name: string;

  @ApiProperty({ type: String, nullable: true, required: false, maxLength: 10_000 })
  @Nullable()
  @IsString()
  @CodePointLength(0, 10_000)
  @NoNul()
  description?: string | null;

  @ApiProperty({ required: false, default: false })
  @Optional()
  @IsBoolean()
  archived?: boolean;
}
