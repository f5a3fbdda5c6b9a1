import { DynamicModule, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { AppInfo } from './app-info';
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
  static async forRoot(source: EnvSource): Promise<DynamicModule> {
    const env = validateEnv(source);
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
      providers: [{ provide: ModelKeys, useValue: ModelKeys.from(source) }, { provide: AppInfo, useFactory: () => AppInfo.load() }],
      exports: [config, ModelKeys, AppInfo],
    };
  }
}
