/**
 * A problem the operator must fix before BSM can start (bad configuration, invalid data
 * files). main.ts prints its message, without a stack, and exits non-zero.
 */
export class BootError extends Error {
  constructor(
    readonly subject: string,
    readonly problems: string[],
  ) {
    super(`${subject}:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'BootError';
  }
}
