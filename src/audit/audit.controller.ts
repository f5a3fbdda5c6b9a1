import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../common/errors/api-errors.decorator';
import { ErrorCode } from '../common/errors/error-code';
import { AdminOnly } from '../common/guards/route-policy';
import { AuditService } from './audit.service';
import { AuditPageDto, AuditQueryDto } from './dto/audit.dto';

@ApiTags('admin')
@Controller('api/admin/audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @AdminOnly()
  @ApiOperation({ summary: 'Admin actions, newest first, paged by cursor.' })
  @ApiOkResponse({ type: AuditPageDto })
  @ApiErrors(ErrorCode.ValidationFailed)
  list(@Query() query: AuditQueryDto): Promise<AuditPageDto> {
    return this.audit.page(query.limit, query.cursor);
  }
}
