import { ApiProperty } from '@nestjs/swagger';
import { IsString } from 'class-validator';

export class CacheStatsDto {
  @ApiProperty({ example: 'agents' }) name: string;
  @ApiProperty() hits: number;
  @ApiProperty() misses: number;
  @ApiProperty() reloads: number;
  @ApiProperty({ description: 'Concurrent misses that shared an in-flight load' }) stampedePrevented: number;
  @ApiProperty({ description: 'Reads answered with an expired value while it reloaded' }) staleServed: number;
  @ApiProperty() errors: number;
  @ApiProperty({ type: String, nullable: true }) lastError: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) lastErrorAt: string | null;
  @ApiProperty({ type: Number, nullable: true }) lastLoadMs: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'ms since the value was loaded' }) age: number | null;
  @ApiProperty({ description: 'ms' }) ttl: number;
  @ApiProperty() valid: boolean;
  @ApiProperty() loading: boolean;
}

export class CacheStatsListDto {
  @ApiProperty({ enum: ['memory', 'redis'] }) store: 'memory' | 'redis';
  @ApiProperty() stampedeProtection: boolean;
  @ApiProperty({ type: [CacheStatsDto] }) caches: CacheStatsDto[];
}

export class ClearCacheDto {
  @ApiProperty({ example: 'agents', description: 'A cache name from GET /api/cache/stats, or "all"' })
  @IsString()
  cache: string;
}

export class CacheReloadResultDto {
  @ApiProperty() reloaded: boolean;
  @ApiProperty({ required: false, description: 'Why the reload failed; the last good value is still served' }) error?: string;
}

export class ClearCacheResultDto {
  @ApiProperty({ type: [String], example: ['registry', 'agents'] }) cleared: string[];
  @ApiProperty({
    type: 'object',
    additionalProperties: {
      type: 'object',
      properties: { reloaded: { type: 'boolean' }, error: { type: 'string' } },
      required: ['reloaded'],
    },
    example: { registry: { reloaded: true }, agents: { reloaded: false, error: 'agents/x.yaml: name: name must be a string' } },
  })
  results: Record<string, CacheReloadResultDto>;
}
