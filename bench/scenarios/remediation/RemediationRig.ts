import { configuredValues, resolveParameters } from '../../../tools/automation/parameterValues';
import { renderText } from '../../../tools/automation/renderText';
import type { Bench } from '../../Bench';
import type { Container, Invocation } from '../../packagedFunctions';
import { remediationUser } from '../../workload';

/** A remediation run's answer: the function's result. */
interface RemediationAnswer {
  outcome?: string;
  changed?: boolean;
  lock?: { released?: boolean; tookOverFrom?: unknown };
}

/** The stand-in's latency for every remediation run, ms a call. */
export const REMEDIATION_LATENCY_MS = 10;

/**
 * The packaged remediate function against the stand-in, its lock table created as the packaged
 * template declares it and its Config rule as the package names it, fixing one user
 * (remediationUser) run after run.
 */
export class RemediationRig {
  private constructor(private readonly bench: Bench) {}

  static async prepare(bench: Bench): Promise<RemediationRig> {
    const { fake, functions } = bench;
    await fake.request('createTable', { definition: functions.lockTable.definition });
    const { configRuleName, inputParameters } = functions.rule;
    await fake.request('setConfigRule', { rule: { ConfigRuleName: configRuleName, InputParameters: JSON.stringify(inputParameters) } });
    await fake.request('configure', { latencyMs: REMEDIATION_LATENCY_MS });
    return new RemediationRig(bench);
  }

  /** The user as before any run, no fault injected, the stand-in's counters reset. */
  async fresh(): Promise<void> {
    await this.bench.fake.setUsers([remediationUser()]);
    await this.bench.fake.request('clearFaults');
    await this.bench.fake.request('reset');
  }

  /** A fresh container of the remediate function. */
  container(): Container {
    return this.bench.functions.container('remediate', this.bench.fake.url);
  }

  /** What the packaged document's invoke step sends for one execution (Config's configured values; DryRun as given). */
  payload(executionId: string, dryRun = false): Record<string, string> {
    const { document, parameters, step } = this.bench.functions.remediation;
    const configured = configuredValues(parameters, remediationUser().userId);
    const values = resolveParameters(document, dryRun ? { ...configured, DryRun: 'true' } : configured);
    return JSON.parse(renderText(step.inputs.Payload, values, executionId)) as Record<string, string>;
  }

  /** How many locks the table holds. */
  async locksLeft(): Promise<number> {
    return (await this.bench.fake.request<unknown[]>('tableItems', { tableName: this.bench.functions.lockTable.definition.TableName }))
      .length;
  }
}

/** The function's answer, when it answered. */
export const answer = (invocation: Invocation): RemediationAnswer | undefined => invocation.summary as RemediationAnswer | undefined;

/** Whether the run remediated the user and released its lock. */
export const remediated = (invocation: Invocation): boolean =>
  !invocation.error && answer(invocation)?.outcome === 'remediated' && answer(invocation)?.lock?.released === true;
