import { ApiProperty } from '@nestjs/swagger';

export class FieldError {
  @ApiProperty({ example: 'name' })
  field: string;

  @ApiProperty({ example: 'name must be shorter than or equal to 120 characters' })
  message: string;
}

/** RFC 9457 problem details: the body of every error response. */
export class ProblemDetails {
  @ApiProperty({ example: 'about:blank' })
  type: string;

  @ApiProperty({ example: 'Bad Request' })
  title: string;

  @ApiProperty({ type: 'integer', example: 400 })
  status: number;

  @ApiProperty({ example: 'The request is invalid' })
  detail: string;

  @ApiProperty({ type: [FieldError], required: false })
  errors?: FieldError[];
}
