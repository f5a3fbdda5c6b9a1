import 'reflect-metadata';
import { Injectable, Module, type DynamicModule, type Type } from '@nestjs/common';
import { MODULE_METADATA } from '@nestjs/common/constants';
import { readVariables } from './validate-env';

/** The raw variable map the application was created with: what config slices are read from. */
@Injectable()
export class RawEnvironment {
  constructor(readonly values: Readonly<Record<string, string | undefined>>) {}
}

export interface ConfigSliceOptions {
  /** Variables whose values must never appear in an error message. */
  secrets?: readonly string[];
}

interface ConfigSlice {
  type: Type<object>;
  secrets: ReadonlySet<string>;
}

const SLICE = Symbol('bsm:config-slice');
type SliceModule = DynamicModule & { [SLICE]?: ConfigSlice };
type ModuleRef = Type | DynamicModule | Promise<DynamicModule> | { forwardRef: () => unknown };

/**
 * A feature's (or an embedding module's) own variables: a class-validator class with a default (or `?`) for
 * each property, read from the same variable map as the core's Env and injected by its class. The core's
 * Env stays untouched.
 */
@Module({})
export class ConfigSliceModule {
  static forFeature<T extends object>(type: Type<T>, options: ConfigSliceOptions = {}): DynamicModule {
    const slice: ConfigSlice = { type, secrets: new Set(options.secrets ?? []) };
    const module: SliceModule = {
      module: ConfigSliceModule,
      providers: [{ provide: type, inject: [RawEnvironment], useFactory: (source: RawEnvironment): T => readVariables(type, source.values, slice.secrets).value as T }],
      exports: [type],
      [SLICE]: slice,
    };
    return module;
  }
}

/**
 * The problems of every config slice that the given modules import, however deep: checked with the core's
 * variables before the application is built, so one message names every bad variable and nothing starts.
 */
export function configSliceProblems(modules: readonly ModuleRef[], source: Readonly<Record<string, string | undefined>>): string[] {
  const seen = new Set<unknown>();
  const problems: string[] = [];
  const visit = (ref: ModuleRef | undefined) => {
    if (!ref || seen.has(ref) || ref instanceof Promise || 'forwardRef' in ref) return;
    seen.add(ref);
    const dynamic = 'module' in ref ? (ref as SliceModule) : undefined;
    const slice = dynamic?.[SLICE];
    if (slice) problems.push(...readVariables(slice.type, source, slice.secrets).problems);
    const type = dynamic ? dynamic.module : (ref as Type);
    for (const child of [...(dynamic?.imports ?? []), ...((Reflect.getMetadata(MODULE_METADATA.IMPORTS, type) as ModuleRef[] | undefined) ?? [])]) {
      visit(child as ModuleRef);
    }
  };
  modules.forEach(visit);
  return problems;
}
