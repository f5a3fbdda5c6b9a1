import { Module } from '@nestjs/common';
import { AgentsModule } from '../agents/agents.module';
import { StorageModule } from '../infra/storage/storage.module';
import { StatusController } from './status.controller';
import { StatusService } from './status.service';

@Module({ imports: [AgentsModule, StorageModule], controllers: [StatusController], providers: [StatusService] })
export class StatusModule {}
