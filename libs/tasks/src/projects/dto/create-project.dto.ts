import { ApiProperty } from '@nestjs/swagger';
import { IsOptionalNonNull } from '@app/http';
import { IsBoolean, IsOptional, IsString, Length, MaxLength, ValidateIf } from 'class-validator';

export class CreateProjectDto {
  @ApiProperty({ minLength: 1, maxLength: 120, description: 'Unique, case-insensitively' })
  @IsString()
  @Length(1, 120)
  name: string;

  @ApiProperty({ type: String, nullable: true, required: false, maxLength: 10_000 })
  @ValidateIf((_, value) => value !== null)
  @IsOptional()
  @IsString()
  @MaxLength(10_000)
  description?: string | null;

  @ApiProperty({ required: false, default: false })
  @IsOptionalNonNull()
  @IsBoolean()
  archived?: boolean;
}
