import type { ClientProvider } from './awsClients';
import type { Verdict } from './ComplianceType';
import type { ConfigurationItem } from './ConfigurationItem';
import type { RecordingCheck } from './recordingRegion';

/** What a rule's code gets for one invocation. */
export interface RuleContext<P> {
  params: P;
  /** Clients acting in the evaluated account (through the execution role when one is set). */
  clients: ClientProvider;
  accountId: string;
  configRuleName: string;
  /** Aborted just before the Lambda times out: pass it to every SDK call. */
  abortSignal: AbortSignal;
}

/**
 * A Config rule as its author writes it: parameters, the judgement of one configuration item,
 * and for periodic runs, how to list and judge every resource. The runtime owns the Config
 * contract (event parsing, applicability, oversized items, reporting, deadlines).
 */
export interface ConfigRuleDefinition<P, R> {
  /** The one resource type the rule judges, e.g. AWS::IAM::User. */
  resourceType: string;
  /** Parses InputParameters (less the runtime's own, RUNTIME_PARAMETERS); throws InvalidParameterError. */
  parseParameters(raw: Readonly<Record<string, string>>): P;
  /** Judges an applicable configuration item of `resourceType`; a verdict with facts is compared by them (Verdict). */
  evaluateItem(item: ConfigurationItem, context: RuleContext<P>): Promise<Verdict>;
  /** Every resource of the account, for periodic runs. */
  listResources(context: RuleContext<P>): AsyncIterable<R>;
  /** The Config resource id of a listed resource. */
  resourceIdOf(resource: R): string;
  /** Judges a listed resource. */
  evaluateResource(resource: R, context: RuleContext<P>): Promise<Verdict>;
  /**
   * For a rule whose resources should be judged in one region only (a global type): what to say
   * of where the account records `resourceType`, or undefined when there is nothing to say. With
   * it, each periodic run checks the region (checkRecording) and says so once, in the log and in
   * its summary; the check never stops a run.
   */
  recordingNotice?(check: RecordingCheck): string | undefined;
}
