import { Module, type DynamicModule, type OnModuleInit } from '@nestjs/common';
import { Database, type MigrationSet } from './database';
import { CORE_MIGRATIONS } from './open-database';
import { StorageModule } from './storage.module';

const TABLE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** Applies one migration set when its module initialises, before the modules that import it. */
class FeatureMigrations implements OnModuleInit {
  constructor(
    private readonly database: Database,
    private readonly set: MigrationSet,
  ) {}

  onModuleInit(): Promise<void> {
    return this.database.migrate(this.set);
  }
}

/**
 * Tables of a module that is not the core's (an embedding codebase's, say): its drizzle-kit migrations
 * folder, tracked in its own migrations table so it never mixes with the core's `drizzle/`. Import
 * `FeatureMigrationsModule.register({ folder, table })` in the module that owns the tables; its
 * providers then find them migrated.
 */
@Module({})
export class FeatureMigrationsModule {
  static register(set: MigrationSet): DynamicModule {
    if (!TABLE_NAME.test(set.table)) throw new Error(`migrations table "${set.table}" must match ${TABLE_NAME.source}`);
    if (set.table === CORE_MIGRATIONS.table) throw new Error(`migrations table "${set.table}" is the core's`);
    return {
      module: FeatureMigrationsModule,
      imports: [StorageModule],
      providers: [{ provide: FeatureMigrations, inject: [Database], useFactory: (database: Database) => new FeatureMigrations(database, set) }],
    };
  }
}
