import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsInt, IsString, Max, MaxLength, Min, MinLength, IsOptional } from 'class-validator';

export class KnowledgeDocumentDto {
  @ApiProperty({ example: 'security-policy.md' }) id: string;
  @ApiProperty({ example: 'Security policy' }) title: string;
  @ApiProperty() content: string;
  @ApiProperty({ example: 2048 }) bytes: number;
}

export class KnowledgeListDto {
  @ApiProperty({ type: [KnowledgeDocumentDto] }) documents: KnowledgeDocumentDto[];
}

export class KnowledgeSearchQueryDto {
  @ApiProperty({ example: 'secrets rotation', minLength: 1, maxLength: 200 })
  @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @MinLength(1, { message: 'q must not be empty' })
  @MaxLength(200)
  q: string;

  @ApiPropertyOptional({ type: Number, minimum: 1, maximum: 50, default: 10, example: 10 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(50)
  limit: number = 10;
}

export class KnowledgeHitDto {
  @ApiProperty({ example: 'security-policy.md' }) id: string;
  @ApiProperty({ example: 'Security policy' }) title: string;
  @ApiProperty({ example: 12.5 }) score: number;
  @ApiProperty({ example: '…never commit secrets; rotate a leaked key within one hour…' }) snippet: string;
}

export class KnowledgeSearchDto {
  @ApiProperty({ example: 'secrets rotation' }) query: string;
  @ApiProperty({ example: 2 }) total: number;
  @ApiProperty({ type: [KnowledgeHitDto] }) results: KnowledgeHitDto[];
}
