/** How to run the demo. */
export const DEMO_USAGE = 'Usage: npm run demo [-- --json]   (npm run --silent demo -- --json for JSON alone on stdout)';

/** The demo's command-line options. */
export interface DemoOptions {
  /** Print the report as one JSON object on stdout, and progress on stderr. */
  json: boolean;
}

/** Parses the command line; an unknown argument is an error naming it. */
export function parseDemoArgs(args: readonly string[]): DemoOptions | 'help' {
  const options: DemoOptions = { json: false };
  for (const arg of args) {
    if (arg === '--json') options.json = true;
    else if (arg === '--help' || arg === '-h') return 'help';
    else throw new Error(`Unknown argument ${JSON.stringify(arg)}. ${DEMO_USAGE}`);
  }
  return options;
}
