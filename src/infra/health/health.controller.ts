import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, type HealthCheckResult } from '@nestjs/terminus';
import { ApiErrors } from '../../common/errors/api-errors.decorator';
import { DomainException } from '../../common/errors/domain.exception';
import { ErrorCode } from '../../common/errors/error-code';
import { InfraRoute } from '../../common/guards/route-policy';
import { HealthRegistry } from './health-registry';

/**
 * Liveness checks no dependency, so it needs no Terminus run (which, with nothing to
 * check, only costs time on the route probes hit most): the answer is Terminus' shape, fixed.
 */
export const LIVE: HealthCheckResult = Object.freeze({ status: 'ok', info: {}, error: {}, details: {} });

const HEALTH_EXAMPLE = { status: 'ok', info: { storage: { status: 'up', mode: 'embedded' } }, error: {}, details: {} };

@ApiTags('health')
@InfraRoute()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly registry: HealthRegistry,
  ) {}

  @Get('live')
  @ApiOperation({ summary: 'Liveness: the process answers. Checks no dependency.' })
  @ApiOkResponse({ schema: { example: LIVE } })
  live(): HealthCheckResult {
    return LIVE;
  }

  @Get()
  @ApiOperation({ summary: 'Alias of /health/live for clients of the original API.' })
  @ApiOkResponse({ schema: { example: LIVE } })
  alias(): HealthCheckResult {
    return LIVE;
  }

  @Get('ready')
  @HealthCheck({ swaggerDocumentation: false })
  @ApiOperation({ summary: 'Readiness: every registered indicator; those that only warn report degraded instead of down.' })
  @ApiOkResponse({ schema: { example: HEALTH_EXAMPLE } })
  @ApiErrors(ErrorCode.ServiceUnavailable)
  async ready(): Promise<HealthCheckResult> {
    try {
      return await this.health.check(this.registry.readinessChecks());
    } catch (error) {
      if (error instanceof ServiceUnavailableException) {
        const result = error.getResponse() as HealthCheckResult;
        throw new DomainException(
          ErrorCode.ServiceUnavailable,
          `Not ready: ${Object.keys(result.error ?? {}).join(', ')}`,
          { details: result },
        );
      }
      throw error;
    }
  }
}
