import { ApiProperty } from '@nestjs/swagger';
import { NodeEnv } from '../../infra/config/env.schema';

export class FeatureFlagsDto {
  @ApiProperty() mobileMode: boolean;
  @ApiProperty() lanOnly: boolean;
  @ApiProperty() safeMode: boolean;
  @ApiProperty() circuitBreakerEnabled: boolean;
  @ApiProperty() cacheStampedeProtection: boolean;
}

export class StatusDto {
  @ApiProperty({ example: 'bsm' }) name: string;
  @ApiProperty({ example: '1.0.0' }) version: string;
  @ApiProperty({ description: 'Seconds since boot', example: 42 }) uptime: number;
  @ApiProperty({ enum: NodeEnv, example: NodeEnv.Development }) environment: NodeEnv;
  @ApiProperty({ type: FeatureFlagsDto }) featureFlags: FeatureFlagsDto;
  @ApiProperty({ enum: ['embedded', 'postgres'] }) storage: 'embedded' | 'postgres';
  @ApiProperty({ enum: ['memory', 'redis'] }) cache: 'memory' | 'redis';
  @ApiProperty({ enum: ['strict', 'permissive'], description: 'permissive: no governance registry was found' })
  registry: 'strict' | 'permissive';
  @ApiProperty({ example: '2026-11-22T20:00:00.000Z' }) timestamp: string;
}
