import { Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { AuditService } from '../audit/audit.service';
import { DomainException } from '../common/errors/domain.exception';
import { ErrorCode } from '../common/errors/error-code';
import { ApiErrors } from '../common/errors/api-errors.decorator';
import { AdminAction, InfraRoute } from '../common/guards/route-policy';
import { BreakerNamePipe } from '../common/pipes/id.pipes';
import { BreakerRegistry } from '../infra/resilience/breaker-registry';
import { BulkheadRegistry } from '../infra/resilience/bulkhead';

class BreakerStatsDto {
  @ApiProperty() fires: number;
  @ApiProperty() successes: number;
  @ApiProperty() failures: number;
  @ApiProperty() rejects: number;
  @ApiProperty() timeouts: number;
  @ApiProperty() fallbacks: number;
  @ApiProperty({ example: { mean: 120, p50: 100, p95: 300, p99: 800 } }) latencyMs: Record<string, number>;
}

class BreakerDto {
  @ApiProperty({ example: 'openai' }) name: string;
  @ApiProperty({ enum: ['closed', 'open', 'half-open'] }) state: string;
  @ApiProperty({ description: 'false when CIRCUIT_BREAKER_ENABLED=false (calls pass straight through)' }) enabled: boolean;
  @ApiProperty({ type: BreakerStatsDto, description: 'Over the rolling window (BREAKER_ROLLING_WINDOW_MS)' }) stats: BreakerStatsDto;
  @ApiPropertyOptional({ nullable: true, type: String }) openedAt: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'When an open breaker lets one probe through' })
  nextAttemptAt: string | null;
}

class BulkheadDto {
  @ApiProperty({ example: 'openai' }) name: string;
  @ApiProperty() inFlight: number;
  @ApiProperty() queued: number;
  @ApiProperty() maxConcurrent: number;
  @ApiProperty() maxQueue: number;
  @ApiProperty() maxQueueWaitMs: number;
}

class BreakersOverviewDto {
  @ApiProperty({ type: [BreakerDto] }) breakers: BreakerDto[];
  @ApiProperty({ type: [BulkheadDto] }) bulkheads: BulkheadDto[];
}

@ApiTags('health')
@Controller()
export class BreakersController {
  constructor(
    private readonly breakers: BreakerRegistry,
    private readonly bulkheads: BulkheadRegistry,
    private readonly audit: AuditService,
  ) {}

  @Get('api/health/circuit-breakers')
  @InfraRoute()
  @ApiOperation({ summary: 'Every circuit breaker (state, rolling stats, next half-open) and every bulkhead (occupancy, queue).' })
  @ApiOkResponse({ type: BreakersOverviewDto })
  overview(): BreakersOverviewDto {
    return {
      breakers: this.breakers.all().map((breaker) => breaker.snapshot()),
      bulkheads: this.bulkheads.all().map((b) => ({ name: b.name, inFlight: b.inFlight, queued: b.queued, ...b.options })),
    };
  }

  @Post('api/admin/circuit-breakers/:name/reset')
  @HttpCode(200)
  @AdminAction()
  @ApiOperation({ summary: 'Close a breaker now, on every instance with Redis (audit-logged). Use after fixing the upstream or its configuration.' })
  @ApiParam({ name: 'name', example: 'openai' })
  @ApiOkResponse({ type: BreakerDto })
  @ApiErrors(ErrorCode.InvalidId, ErrorCode.BreakerNotFound)
  async reset(@Param('name', BreakerNamePipe) name: string): Promise<BreakerDto> {
    const breaker = this.breakers.get(name);
    if (!breaker) {
      throw new DomainException(ErrorCode.BreakerNotFound, `No circuit breaker named "${name}"`, {
        details: { known: this.breakers.all().map((b) => b.name) },
      });
    }
    const before = breaker.state;
    await this.breakers.resetEverywhere(breaker);
    await this.audit.record('circuit-breaker.reset', name, { from: before });
    return breaker.snapshot();
  }
}
