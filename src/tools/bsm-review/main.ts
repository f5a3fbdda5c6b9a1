#!/usr/bin/env node
import { AppInfo } from '../../infra/config/app-info';
import { sarifOf } from '../../review/report/sarif';
import { exitCodeOf, parseArguments, review, textOf, USAGE, UsageError } from './review-command';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function main(): Promise<number> {
  try {
    const options = parseArguments(process.argv.slice(2), process.env);
    if (options === 'help') {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    const outcome = await review(options, readStdin);
    if (options.format === 'sarif') process.stdout.write(`${JSON.stringify(sarifOf(outcome, (await AppInfo.load()).version), null, 2)}\n`);
    else process.stdout.write(options.format === 'json' ? `${JSON.stringify(outcome, null, 2)}\n` : textOf(outcome));
    return exitCodeOf(outcome.decision);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`bsm-review: ${error.message}\n\n${USAGE}\n`);
      return 2;
    }
    process.stderr.write(`bsm-review: ${(error as Error).message}\n`);
    return 3;
  }
}

void main().then((code) => {
  process.exitCode = code;
});
