/** What `npm run bench` was asked for: `--quick`, `--scale=<factor>`, `--only=<scenario>,…`. */
export interface BenchOptions {
  quick: boolean;
  /** Users of every scenario scaled by this factor. */
  scale: number;
  /** The scenarios to run; all when undefined. */
  only?: string[];
  /** What the results file says of the run, and where it goes. */
  mode: 'quick' | 'partial' | 'full';
}

/** The options of the command line `argv` (process.argv.slice(2)); throws naming a bad one. */
export function benchOptions(argv: readonly string[]): BenchOptions {
  const value = (name: string) =>
    argv
      .find((arg) => arg.startsWith(`--${name}=`))
      ?.split('=')
      .slice(1)
      .join('=');
  const quick = argv.includes('--quick');
  const scale = Number(value('scale') ?? '1');
  if (!Number.isFinite(scale) || scale <= 0) throw new Error(`--scale must be a positive number, got ${value('scale')}`);
  const only = value('only')?.split(',');
  const mode = quick ? 'quick' : scale !== 1 || only !== undefined ? 'partial' : 'full';
  return { quick, scale, ...(only ? { only } : {}), mode };
}

/** Users scaled by --scale, at least 10. */
export function scaled(options: BenchOptions, count: number): number {
  return Math.max(10, Math.round(count * options.scale));
}

/** Whether the run includes the scenario. */
export function wanted(options: BenchOptions, scenario: string): boolean {
  return !options.only || options.only.includes(scenario);
}

/** The results file of a run of this mode, under bench/. */
export function resultsFile(options: BenchOptions): string {
  return { quick: 'results.quick.json', partial: 'results.partial.json', full: 'results.json' }[options.mode];
}
