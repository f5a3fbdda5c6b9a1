import { Module } from '@nestjs/common';
import { AgentsModule } from '../agents/agents.module';
import { StatusController } from './status.controller';
import { StatusService } from './status.service';

@Module({ imports: [AgentsModule], controllers: [StatusController], providers: [StatusService] })
export class StatusModule {}
