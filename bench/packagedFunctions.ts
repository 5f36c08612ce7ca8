import { rmSync } from 'node:fs';
import { type Remediation, remediationOf } from '../tools/automation/remediationOf';
import { extractZip } from '../tools/lambda/extractZip';
import { type LambdaAnswer, type LambdaError, LambdaProcess } from '../tools/lambda/LambdaProcess';
import { packagedFunction, type PackagedFunction } from '../tools/lambda/packagedFunction';
import { ensurePackage } from '../tools/package/ensurePackage';
import { packagedRule, type PackagedRule } from '../tools/package/packagedRule';
import { type StackTable, stackTables } from '../tools/package/stackTables';

/** Where the benchmark's package lives, under the project (git-ignored): the default deploy options. */
export const BENCH_PACKAGE_DIR = '.serverless-bench';
/** The account and region of the stand-in the functions run against. */
const BENCH_ACCOUNT_ID = '123456789012';
export const BENCH_REGION = 'us-east-1';

/** What one invocation of a packaged function did, measured inside its process. */
export interface Invocation {
  /** Load (first invocation of a process only) and run. */
  seconds: number;
  /** Time to load the bundle (first invocation of a process only). */
  loadSeconds?: number;
  cpuSeconds: number;
  rssMiB: number;
  /** `<errorType>: <errorMessage>` of a failed invocation. */
  error?: string;
  /** What the function returned. */
  summary?: unknown;
}

/** A packaged function's execution environment (a Lambda container): its first invocation is cold, the others warm. */
export class Container {
  constructor(private readonly lambda: LambdaProcess) {}

  async invoke(event: unknown): Promise<Invocation> {
    return invocationOf(await this.lambda.invoke(event));
  }

  stop(): Promise<void> {
    return this.lambda.stop();
  }
}

/**
 * The benchmark's package (default deploy options; packaged first when missing or stale, as the
 * demo's) with its evaluate and remediate functions extracted, and the rule and lock table its
 * template declares.
 */
export class PackagedFunctions {
  private constructor(
    readonly evaluate: { fn: PackagedFunction; codeDirectory: string },
    readonly remediate: { fn: PackagedFunction; codeDirectory: string },
    readonly rule: PackagedRule,
    /** Config's remediation of the rule: the document whose invoke step sends the remediate function its payload. */
    readonly remediation: Remediation,
    readonly lockTable: StackTable,
    readonly evaluateZipBytes: number,
    readonly packagedNow: boolean,
  ) {}

  static async load(projectDir: string): Promise<PackagedFunctions> {
    const options = { stage: 'bench', region: BENCH_REGION, params: {} };
    const pkg = await ensurePackage(projectDir, BENCH_PACKAGE_DIR, options, { log: (line) => console.log(line) });
    const rule = packagedRule(pkg.template);
    const [lockTable, ...others] = stackTables(pkg.template, pkg.stackName);
    if (!lockTable || others.length > 0) throw new Error('The packaged template declares no table, or more than the lock table');
    const target = {
      region: BENCH_REGION,
      accountId: BENCH_ACCOUNT_ID,
      created: { [lockTable.logicalId]: lockTable.definition.TableName },
    };
    const remediation = remediationOf(pkg.template);
    const [evaluate, remediate] = await Promise.all(
      [rule.functionLogicalId, remediation.functionLogicalId].map(async (id) => {
        const fn = packagedFunction(pkg, id, target);
        return { fn, codeDirectory: await extractZip(fn.zipFile, `bench-${fn.functionName}`) };
      }),
    );
    const zipBytes = pkg.zipBytes['evaluate.zip'];
    if (zipBytes === undefined) throw new Error(`${BENCH_PACKAGE_DIR} holds no evaluate.zip`);
    return new PackagedFunctions(evaluate!, remediate!, rule, remediation, lockTable, zipBytes, pkg.packagedNow);
  }

  /** The sweep concurrency the evaluate function runs with. */
  get sweepConcurrency(): string {
    return overrides().SWEEP_CONCURRENCY ?? this.evaluate.fn.environment.SWEEP_CONCURRENCY ?? 'default';
  }

  /** A fresh container of a function against the stand-in at `endpoint`. */
  container(which: 'evaluate' | 'remediate', endpoint: string): Container {
    const { fn, codeDirectory } = this[which];
    const lambda = LambdaProcess.start(fn, codeDirectory, {
      endpoint,
      region: BENCH_REGION,
      accountId: BENCH_ACCOUNT_ID,
      overrides: overrides(),
      logs: 'drop',
    });
    return new Container(lambda);
  }

  /** Removes the extracted code. */
  close(): void {
    for (const { codeDirectory } of [this.evaluate, this.remediate]) rmSync(codeDirectory, { recursive: true, force: true });
  }
}

/** Over the functions' own environment: no logging (figures comparable from run to run), SWEEP_CONCURRENCY when the bench is given one. */
function overrides(): Record<string, string> {
  const concurrency = process.env.SWEEP_CONCURRENCY;
  return { POWERTOOLS_LOG_LEVEL: 'SILENT', ...(concurrency ? { SWEEP_CONCURRENCY: concurrency } : {}) };
}

function invocationOf(answer: LambdaAnswer): Invocation {
  const error = answer.functionError ? (answer.payload as LambdaError) : undefined;
  return {
    seconds: ((answer.initMs ?? 0) + answer.durationMs) / 1000,
    ...(answer.initMs === undefined ? {} : { loadSeconds: answer.initMs / 1000 }),
    cpuSeconds: answer.cpuMs / 1000,
    rssMiB: answer.rssMiB,
    ...(error ? { error: `${error.errorType}: ${error.errorMessage}` } : { summary: answer.payload }),
  };
}
