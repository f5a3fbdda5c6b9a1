import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../../common/errors/api-errors.decorator';
import { ErrorCode } from '../../common/errors/error-code';
import { AdminOnly } from '../../common/guards/route-policy';
import { UsageService } from './usage.service';

export class KeyUsageDto {
  @ApiProperty({ example: '3f2a9c0d41b7', description: 'The first 12 hex digits of the key\'s SHA-256 ("anonymous" without API_KEYS)' })
  keyId: string;

  @ApiProperty({ example: 42 })
  requests: number;

  @ApiProperty({ example: 5120 })
  promptTokens: number;

  @ApiProperty({ example: 830 })
  completionTokens: number;
}

export class UsageDto {
  @ApiProperty({ type: [KeyUsageDto] })
  keys: KeyUsageDto[];
}

@ApiTags('admin')
@Controller('api/admin/usage')
export class UsageController {
  constructor(private readonly usage: UsageService) {}

  @Get()
  @AdminOnly()
  @ApiOperation({
    summary: 'Requests and tokens of the LLM routes per API key (all instances when REDIS_URL is set; this instance otherwise).',
  })
  @ApiOkResponse({ type: UsageDto })
  @ApiErrors(ErrorCode.ServiceUnavailable)
  async list(): Promise<UsageDto> {
    return { keys: await this.usage.all() };
  }
}
