/** The command line is wrong (unknown flag or command, malformed or missing value): exit 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
