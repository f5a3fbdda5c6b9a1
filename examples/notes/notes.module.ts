import { join } from 'node:path';
import { Body, Controller, Get, HttpCode, HttpStatus, Injectable, Module, Param, ParseIntPipe, Post } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsString, Max, Min, MinLength } from 'class-validator';
import { eq } from 'drizzle-orm';
import { ApiErrors, DomainException, defineErrorCodes, ConfigSliceModule, Database, FeatureMigrationsModule, StorageModule } from 'bsm';
import { exampleNotes } from './notes.schema';

/** Its own variable: read from the same environment as BSM's, validated at boot, injected by class. */
export class NotesConfig {
  @Type(() => Number)
  @IsInt({ message: 'NOTES_MAX_LENGTH must be a whole number' })
  @Min(1)
  @Max(10_000)
  NOTES_MAX_LENGTH = 280;
}

/** Its own error codes, with their statuses: the global filter answers them like BSM's. */
export const NotesError = defineErrorCodes({
  NOTE_NOT_FOUND: HttpStatus.NOT_FOUND,
  NOTE_TOO_LONG: HttpStatus.UNPROCESSABLE_ENTITY,
});

export class NewNoteDto {
  @ApiProperty({ example: 'Rotate the staging keys on Friday' })
  @IsString()
  @MinLength(1)
  text: string;
}

@Injectable()
export class NotesService {
  constructor(
    private readonly database: Database,
    private readonly config: NotesConfig,
  ) {}

  async add(text: string): Promise<{ id: number; text: string }> {
    const max = this.config.NOTES_MAX_LENGTH;
    if (text.length > max) {
      throw new DomainException(NotesError.NOTE_TOO_LONG, `A note has at most ${max} characters (NOTES_MAX_LENGTH)`, {
        details: { length: text.length, max },
      });
    }
    const [row] = await this.database.db.insert(exampleNotes).values({ text }).returning();
    return { id: row.id, text: row.text };
  }

  async get(id: number): Promise<{ id: number; text: string }> {
    const [row] = await this.database.db.select().from(exampleNotes).where(eq(exampleNotes.id, id));
    if (!row) throw new DomainException(NotesError.NOTE_NOT_FOUND, `No note ${id}`);
    return { id: row.id, text: row.text };
  }
}

@Controller('api/notes')
export class NotesController {
  constructor(private readonly notes: NotesService) {}

  @Post()
  @HttpCode(201)
  @ApiErrors(NotesError.NOTE_TOO_LONG)
  add(@Body() body: NewNoteDto) {
    return this.notes.add(body.text);
  }

  @Get(':id')
  @ApiErrors(NotesError.NOTE_NOT_FOUND)
  get(@Param('id', ParseIntPipe) id: number) {
    return this.notes.get(id);
  }
}

@Module({
  imports: [
    StorageModule,
    ConfigSliceModule.forFeature(NotesConfig),
    FeatureMigrationsModule.register({ folder: join(__dirname, 'drizzle'), table: '__example_notes_migrations' }),
  ],
  controllers: [NotesController],
  providers: [NotesService],
})
export class NotesModule {}
