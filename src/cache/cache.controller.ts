import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../common/errors/api-errors.decorator';
import { ErrorCode } from '../common/errors/error-code';
import { AdminAction } from '../common/guards/route-policy';
import { CacheService } from './cache.service';
import { CacheStatsListDto, ClearCacheDto, ClearCacheResultDto } from './dto/cache.dto';

@ApiTags('cache')
@Controller('api/cache')
export class CacheController {
  constructor(private readonly cache: CacheService) {}

  @Get('stats')
  @ApiOperation({ summary: 'Per-cache hits, misses, reloads, stampedes prevented, stale serves, errors, age and ttl.' })
  @ApiOkResponse({ type: CacheStatsListDto })
  stats(): CacheStatsListDto {
    return this.cache.stats();
  }

  @Post('clear')
  @HttpCode(200)
  @AdminAction()
  @ApiOperation({ summary: 'Reload a cache (and the caches built from it) from its files; audit-logged.' })
  @ApiOkResponse({ type: ClearCacheResultDto })
  @ApiErrors(ErrorCode.ValidationFailed)
  clear(@Body() body: ClearCacheDto): Promise<ClearCacheResultDto> {
    return this.cache.clear(body.cache);
  }
}
