import { maskAccessKeyId } from '../../src/iam-user-single-access-key/maskAccessKeyId';
import type { FakeUser } from '../../tools/fakeAws';
import type { EmfDocument } from '../../tools/lambda/emfDocuments';
import type { Compliance } from './sampleAccount';

/** An access key as the demo shows it: id masked to its last four characters. */
export interface ShownKey {
  accessKeyId: string;
  status: string;
  created: string;
  lastUsed: string;
}

/** One result Config holds, with the user it belongs to. */
export interface ShownResult {
  userName: string;
  userId: string;
  complianceType: Compliance;
  annotation?: string;
}

/** One invocation of a packaged function, as shown. */
export interface ShownInvocation {
  function: string;
  pid: number;
  durationMs: number;
  functionError?: string;
  payload: unknown;
  /** IAM, STS, Config and DynamoDB calls the function made to the stand-in, by action. */
  calls: Record<string, number>;
  /** The EMF documents the function printed: the metrics CloudWatch Logs would make of its output. */
  metrics: EmfDocument[];
}

/** One execution of the remediation document, as Automation reports it. */
export interface ShownExecution {
  /** `Unknown` when a step could not run here (python3 missing: `failureMessage` says so). */
  status: 'Success' | 'Failed' | 'Unknown';
  steps: { name: string; action: string; status: 'Success' | 'Failed'; failureMessage?: string; python?: string }[];
  /** The document's outputs, by `Step.Output`. */
  outputs: Record<string, unknown>;
  failureMessage?: string;
}

/** One run of the remediation document. */
export interface RemediationRun {
  /** The Payload the invoke step sends, rendered from the packaged document. */
  payload: unknown;
  /** The invoke step's outputs: Lambda's FunctionError and the function's answer (Payload). */
  functionError?: string;
  answer: unknown;
  invocation: ShownInvocation;
  /** The whole execution: the invoke step, then the script step that decides its outcome. */
  execution: ShownExecution;
  keysAfter: ShownKey[];
}

/** Everything the demo shows; `npm run demo -- --json` prints it. */
export interface DemoReport {
  endpoint: string;
  accountId: string;
  package: { directory: string; packagedNow: boolean; zipBytes: Record<string, number>; deployOptions: Record<string, string> };
  rule: { configRuleName: string; inputParameters: Record<string, string>; maximumExecutionFrequency?: string };
  sampleAccount: {
    users: { userName: string; userId: string; path: string; case: string; tags: Record<string, string>; keys: ShownKey[] }[];
    deletedUsers: { userName: string; userId: string; case: string; storedResult: ShownResult }[];
  };
  periodic: { invocation: ShownInvocation; evaluationsRecorded: number; results: ShownResult[]; counts: Record<Compliance, number> };
  change: { userName: string; userId: string; what: string; invocation: ShownInvocation; evaluationsRecorded: number; result: ShownResult };
  remediation: {
    userName: string;
    userId: string;
    step: string;
    /** Logical id of the SSM document in the template. */
    document: string;
    /** Document parameters as Automation resolves them for Config's runs (deploy-time values left out). */
    parameters: Record<string, string>;
    keysBefore: ShownKey[];
    dryRun: RemediationRun;
    run: RemediationRun;
    /** The remediation lock table, and how many locks it holds after the runs (none: each run released its own). */
    lockTable?: { name: string; itemsAfter: number };
  };
  /** Checks of what the demo shows against the sample account; the demo fails if any is false. */
  checks: { name: string; ok: boolean; detail: string }[];
  next: string[];
}

/** A user's keys as the demo shows them, ages counted back from `now`. */
export function shownKeys(user: FakeUser, now: Date): ShownKey[] {
  return (user.accessKeys ?? []).map((key) => ({
    accessKeyId: maskAccessKeyId(key.accessKeyId),
    status: key.status,
    created: `${ageOf(now.getTime() - key.createDate.getTime())} ago`,
    lastUsed: key.lastUsed?.date
      ? `${ageOf(now.getTime() - key.lastUsed.date.getTime())} ago in ${key.lastUsed.serviceName ?? 'N/A'}`
      : 'never',
  }));
}

function ageOf(ms: number): string {
  const hours = Math.floor(ms / 3_600_000);
  return hours < 24 ? `${hours}h` : `${Math.floor(hours / 24)}d`;
}

/** How many results of each compliance type. */
export function countsOf(results: readonly ShownResult[]): Record<Compliance, number> {
  const counts: Record<Compliance, number> = { COMPLIANT: 0, NON_COMPLIANT: 0, NOT_APPLICABLE: 0 };
  for (const result of results) counts[result.complianceType] += 1;
  return counts;
}
