import { parseDocument } from 'yaml';

/** A data file that cannot be used; the message names the file (and line, where known). */
export class DataFileError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`${file}: ${problems.join('; ')}`);
    this.name = 'DataFileError';
  }
}

export function parseYamlFile(file: string, text: string): unknown {
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length > 0) {
    throw new DataFileError(
      file,
      doc.errors.map((error) => `line ${error.linePos?.[0].line ?? '?'}: ${error.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}`),
    );
  }
  return doc.toJS();
}

export function parseJsonFile(file: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const position = /position (\d+)/.exec((error as Error).message);
    const line = position ? text.slice(0, Number(position[1])).split('\n').length : undefined;
    throw new DataFileError(file, [`${line ? `line ${line}: ` : ''}${(error as Error).message}`]);
  }
}

/** Reads `{ "<key>": ["file", ...] }` index files (agents/index.json, knowledge/index.json). */
export function parseIndexFile(file: string, text: string, key: string): string[] {
  const parsed = parseJsonFile(file, text) as Record<string, unknown> | null;
  const list = parsed?.[key];
  if (!Array.isArray(list) || list.some((entry) => typeof entry !== 'string' || entry.length === 0)) {
    throw new DataFileError(file, [`"${key}" must be a list of file names`]);
  }
  const duplicates = list.filter((entry, index) => list.indexOf(entry) !== index);
  if (duplicates.length > 0) throw new DataFileError(file, [`"${key}" lists ${duplicates.join(', ')} more than once`]);
  return list as string[];
}
