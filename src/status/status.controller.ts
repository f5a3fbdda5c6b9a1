import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { StatusDto } from './dto/status.dto';
import { StatusService } from './status.service';

@ApiTags('status')
@Controller('api/status')
export class StatusController {
  constructor(private readonly status: StatusService) {}

  @Get()
  @ApiOperation({ summary: 'Name, version, uptime, environment, feature flags and storage/cache modes.' })
  @ApiOkResponse({ type: StatusDto })
  get(): Promise<StatusDto> {
    return this.status.snapshot();
  }
}
