import { DynamicModule, Module, type Type } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { AppInfo } from './app-info';
import { configSliceProblems, RawEnvironment } from './config-slice';
import { ModelKeys } from './model-keys';
import { validateEnv } from './validate-env';

export type EnvSource = Record<string, string | undefined>;

/**
 * Validated, typed configuration. The variable map is passed in (main.ts hands over
 * process.env, e2e tests hand over their own) so several apps can run side by side in
 * one process without sharing process.env.
 */
@Module({})
export class AppConfigModule {
  /** `modules`: the application's other modules, whose config slices are validated here with the core's variables. */
  static async forRoot(source: EnvSource, modules: ReadonlyArray<Type | DynamicModule> = []): Promise<DynamicModule> {
    const env = validateEnv(source, configSliceProblems(modules, source));
    const config = await ConfigModule.forRoot({
      isGlobal: true,
      ignoreEnvFile: true,
      ignoreEnvVars: true,
      skipProcessEnv: true,
      cache: true,
      validate: () => env,
    });
    return {
      module: AppConfigModule,
      global: true,
      imports: [config],
      providers: [
        { provide: ModelKeys, useValue: ModelKeys.from(source) },
        { provide: AppInfo, useFactory: () => AppInfo.load() },
        { provide: RawEnvironment, useValue: new RawEnvironment(source) },
      ],
      exports: [config, ModelKeys, AppInfo, RawEnvironment],
    };
  }
}
