import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';

export class AuditQueryDto {
  @ApiPropertyOptional({ type: Number, minimum: 1, maximum: 100, default: 50, example: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit: number = 50;

  @ApiPropertyOptional({ description: 'nextCursor from the previous page', example: '120' })
  @IsOptional()
  @Matches(/^[1-9]\d{0,15}$/, { message: 'cursor must be a nextCursor value from a previous page' })
  cursor?: string;
}

export class AuditEntryDto {
  @ApiProperty({ example: 12 })
  id: number;

  @ApiProperty({ example: 'cache.clear' })
  action: string;

  @ApiProperty({ example: 'agents' })
  target: string;

  @ApiProperty({ example: 'c0a8012e-1f7b-4c5e-9d7a-6b1f2e3d4c5b' })
  correlationId: string;

  @ApiPropertyOptional({ example: { cleared: ['agents'] }, nullable: true })
  details: unknown;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt: Date;
}

export class AuditPageDto {
  @ApiProperty({ type: [AuditEntryDto] })
  entries: AuditEntryDto[];

  @ApiProperty({ type: String, nullable: true, example: '101' })
  nextCursor: string | null;
}
