import { join } from 'node:path';
import { Body, Controller, Get, HttpCode, HttpStatus, Injectable, Module, Param, ParseIntPipe, Post } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsInt, IsString, Matches, Max, Min, MinLength } from 'class-validator';
import { eq } from 'drizzle-orm';
import { ApiErrors, ConfigSliceModule, Database, DomainException, FeatureMigrationsModule, StorageModule, defineErrorCodes } from 'bsm';
import { acmeTickets } from './tickets.schema';

/** Acme's own variables, validated at boot with BSM's: a bad value stops the boot, naming the variable. */
export class AcmeConfig {
  @IsString()
  @Matches(/^[A-Z]{2,8}$/, { message: 'ACME_TICKET_PREFIX must be 2 to 8 capital letters' })
  ACME_TICKET_PREFIX = 'ACME';

  @Type(() => Number)
  @IsInt({ message: 'ACME_TITLE_MAX must be a whole number' })
  @Min(1)
  @Max(500)
  ACME_TITLE_MAX = 120;
}

/** Acme's error codes: answered in BSM's envelope with these statuses. */
export const AcmeError = defineErrorCodes({
  ACME_TICKET_NOT_FOUND: { status: HttpStatus.NOT_FOUND, example: 'No ticket ACME-42' },
  ACME_TITLE_TOO_LONG: HttpStatus.UNPROCESSABLE_ENTITY,
});

export class NewTicketDto {
  @IsString()
  @MinLength(1)
  title: string;
}

export interface Ticket {
  id: number;
  key: string;
  title: string;
}

@Injectable()
export class TicketsService {
  constructor(
    private readonly database: Database,
    private readonly config: AcmeConfig,
  ) {}

  async open(title: string): Promise<Ticket> {
    if (title.length > this.config.ACME_TITLE_MAX) {
      throw new DomainException(AcmeError.ACME_TITLE_TOO_LONG, `A title has at most ${this.config.ACME_TITLE_MAX} characters`, {
        details: { length: title.length, max: this.config.ACME_TITLE_MAX },
      });
    }
    const [row] = await this.database.db.insert(acmeTickets).values({ title }).returning();
    return this.toTicket(row);
  }

  async get(id: number): Promise<Ticket> {
    const [row] = await this.database.db.select().from(acmeTickets).where(eq(acmeTickets.id, id));
    if (!row) throw new DomainException(AcmeError.ACME_TICKET_NOT_FOUND, `No ticket ${this.config.ACME_TICKET_PREFIX}-${id}`);
    return this.toTicket(row);
  }

  private toTicket(row: typeof acmeTickets.$inferSelect): Ticket {
    return { id: row.id, key: `${this.config.ACME_TICKET_PREFIX}-${row.id}`, title: row.title };
  }
}

@Controller('api/acme/tickets')
export class TicketsController {
  constructor(private readonly tickets: TicketsService) {}

  @Post()
  @HttpCode(201)
  @ApiErrors(AcmeError.ACME_TITLE_TOO_LONG)
  open(@Body() body: NewTicketDto): Promise<Ticket> {
    return this.tickets.open(body.title);
  }

  @Get(':id')
  @ApiErrors(AcmeError.ACME_TICKET_NOT_FOUND)
  get(@Param('id', ParseIntPipe) id: number): Promise<Ticket> {
    return this.tickets.get(id);
  }
}

@Module({
  imports: [
    StorageModule,
    ConfigSliceModule.forFeature(AcmeConfig),
    FeatureMigrationsModule.register({ folder: join(__dirname, '../../drizzle'), table: '__acme_migrations' }),
  ],
  controllers: [TicketsController],
  providers: [TicketsService],
  exports: [TicketsService],
})
export class TicketsModule {}
