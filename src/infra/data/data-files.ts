import { readFile } from 'node:fs/promises';
import { isAbsolute, relative, resolve } from 'node:path';
import { Injectable } from '@nestjs/common';
import { DomainException } from '../../common/errors/domain.exception';
import { ErrorCode } from '../../common/errors/error-code';
import { DataFileError } from './data-format';

/**
 * Resolves `name` under `root` and refuses anything that would leave it: absolute paths,
 * `..` segments, NUL bytes.
 */
export function resolveUnder(root: string, name: string): string {
  const base = resolve(root);
  if (name.includes('\0') || isAbsolute(name)) {
    throw new DomainException(ErrorCode.InvalidId, `"${name.replace(/\0/g, '\\0')}" is not a file name under its directory`);
  }
  const target = resolve(base, name);
  const inside = relative(base, target);
  if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) {
    throw new DomainException(ErrorCode.InvalidId, `"${name}" leaves its directory`);
  }
  return target;
}

/** Port: the data files (agents, registry, knowledge). */
export abstract class DataFiles {
  /** Text of `name` under `root`; rejects with an error whose message names the file. */
  abstract read(root: string, name: string): Promise<string>;
  abstract readAbsolute(path: string): Promise<string | null>;
}

@Injectable()
export class FsDataFiles extends DataFiles {
  async read(root: string, name: string): Promise<string> {
    const path = resolveUnder(root, name);
    try {
      return await readFile(path, 'utf8');
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (error as Error).message;
      throw new DataFileError(name, [reason]);
    }
  }

  /** null when the file does not exist. */
  async readAbsolute(path: string): Promise<string | null> {
    try {
      return await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }
}
