import { Controller, Get, Header, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ApiErrors } from '../common/errors/api-errors.decorator';
import { ErrorCode } from '../common/errors/error-code';
import { AdminTokenVerifier } from '../common/guards/admin-token.verifier';
import { MobileRestricted } from '../common/guards/route-policy';
import { AgentIdPipe } from '../common/pipes/id.pipes';
import { AgentCatalogService } from './agent-catalog.service';
import { AgentRuntimeService } from './agent-runtime.service';
import { AgentDto, AgentHealthDto, AgentListDto, AgentStateDto, AgentStatesDto, ListAgentsQueryDto } from './dto/agent.dto';

const ID_PARAM = { name: 'id', example: 'legal-agent', description: 'Agent id: ^[a-z0-9][a-z0-9-]{0,63}$' };

@ApiTags('agents')
@Controller('api/agents')
export class AgentsController {
  constructor(
    private readonly catalog: AgentCatalogService,
    private readonly runtime: AgentRuntimeService,
    private readonly adminToken: AdminTokenVerifier,
  ) {}

  @Get()
  @Header('Content-Type', 'application/json; charset=utf-8')
  @ApiOperation({ summary: 'The agent catalog, governance merged; ?mode= keeps agents allowed in that context. Sends an ETag.' })
  @ApiOkResponse({ type: AgentListDto })
  @ApiHeader({ name: 'If-None-Match', required: false, description: 'ETag of a previous answer: 304 when unchanged' })
  @ApiErrors(ErrorCode.InvalidMode, ErrorCode.ValidationFailed)
  async list(@Query() query: ListAgentsQueryDto, @Res({ passthrough: true }) res: Response): Promise<string> {
    const view = await this.catalog.listView(query.mode);
    res.setHeader('ETag', view.etag);
    return view.json;
  }

  @Get('status')
  @ApiOperation({ summary: 'Running state of every agent.' })
  @ApiOkResponse({ type: AgentStatesDto })
  async states(): Promise<AgentStatesDto> {
    const agents = await this.runtime.all();
    return { agents, running: agents.filter((a) => a.status === 'running').length };
  }

  @Post('start/:id')
  @HttpCode(200)
  @MobileRestricted()
  @ApiOperation({ summary: 'Start an agent. Agents whose approval is required need the admin token.' })
  @ApiParam(ID_PARAM)
  @ApiHeader({ name: 'x-admin-token', required: false, description: 'Required for agents with approval.required' })
  @ApiOkResponse({ type: AgentStateDto })
  @ApiErrors(
    ErrorCode.InvalidId, ErrorCode.AgentNotFound, ErrorCode.ApprovalRequired, ErrorCode.ProfileNotAllowed,
    ErrorCode.SafeModeRestriction, ErrorCode.AgentAlreadyRunning, ErrorCode.MobileModeRestriction,
  )
  start(@Param('id', AgentIdPipe) id: string, @Req() req: Request): Promise<AgentStateDto> {
    return this.runtime.start(id, this.adminToken.verify(req) === 'valid');
  }

  @Post('stop/:id')
  @HttpCode(200)
  @MobileRestricted()
  @ApiOperation({ summary: 'Stop a running agent.' })
  @ApiParam(ID_PARAM)
  @ApiOkResponse({ type: AgentStateDto })
  @ApiErrors(ErrorCode.InvalidId, ErrorCode.AgentNotFound, ErrorCode.AgentNotRunning, ErrorCode.MobileModeRestriction)
  stop(@Param('id', AgentIdPipe) id: string): Promise<AgentStateDto> {
    return this.runtime.stop(id);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One agent, governance merged.' })
  @ApiParam(ID_PARAM)
  @ApiOkResponse({ type: AgentDto })
  @ApiErrors(ErrorCode.InvalidId, ErrorCode.AgentNotFound)
  get(@Param('id', AgentIdPipe) id: string): Promise<AgentDto> {
    return this.catalog.get(id);
  }

  @Get(':id/status')
  @ApiOperation({ summary: 'Running state of one agent.' })
  @ApiParam(ID_PARAM)
  @ApiOkResponse({ type: AgentStateDto })
  @ApiErrors(ErrorCode.InvalidId, ErrorCode.AgentNotFound)
  status(@Param('id', AgentIdPipe) id: string): Promise<AgentStateDto> {
    return this.runtime.status(id);
  }

  @Get(':id/health')
  @ApiOperation({ summary: "The agent's health endpoint named by its registry healthcheck." })
  @ApiParam(ID_PARAM)
  @ApiOkResponse({ type: AgentHealthDto })
  @ApiErrors(ErrorCode.InvalidId, ErrorCode.AgentNotFound)
  async health(@Param('id', AgentIdPipe) id: string): Promise<AgentHealthDto> {
    const [agent, state] = await Promise.all([this.catalog.get(id), this.runtime.status(id)]);
    return {
      id,
      status: 'healthy',
      state: state.status,
      governance: agent.governance ? 'registry' : 'none',
      checkedAt: new Date().toISOString(),
    };
  }
}
