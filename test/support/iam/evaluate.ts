import { runSimulation } from '@cloud-copilot/iam-simulate';
import type { PolicyDocument } from './templatePolicies';

// IAM's policy evaluation, by a maintained evaluator rather than a copy of our own:
// @cloud-copilot/iam-simulate (AGPL-3.0-or-later, a development dependency only: docs/development.md).
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html

/** What IAM decides. */
export type Decision = 'Allowed' | 'ExplicitlyDenied' | 'ImplicitlyDenied';

/** Who asks: a role's session (by the role's ARN) or an AWS service principal. */
export type Caller = { role: string; session?: string; organizationId?: string } | { service: string };

/** A request to evaluate. */
export interface EvaluatedRequest {
  caller: Caller;
  action: string;
  /** The resource ARN, or "*" for an action without resource types. */
  resource: string;
  /** The request's own condition keys (aws:TagKeys, aws:SourceAccount of a service's request, …). */
  context?: Record<string, string | string[]>;
  /** The account owning the resource, for an ARN that does not name it (an S3 object's); default the ARN's account, else the caller's. */
  resourceAccount?: string;
  /** Default true. */
  secureTransport?: boolean;
}

/** The policies that apply: the caller's identity policies and the resource's policy (a bucket's, a function's, a role's trust policy). */
export interface ApplicablePolicies {
  identity: { name: string; document: PolicyDocument }[];
  resource?: PolicyDocument;
}

const accountOfArn = (arn: string): string | undefined => /^arn:[^:]+:[^:]*:[^:]*:(\d{12}):/.exec(arn)?.[1];

/**
 * Evaluates requests, asking the evaluator once per distinct (policies, request): the same
 * question gets the same answer, so repeats (the same policy in many modes) cost nothing.
 */
export class PolicyEvaluator {
  /** Distinct evaluations the evaluator ran. */
  simulations = 0;
  private readonly answers = new Map<string, Promise<Decision>>();
  private readonly keys = new WeakMap<ApplicablePolicies, string>();

  /** IAM's decision on `request` under `policies`; an input the evaluator refuses is an error with its reasons. */
  decide(request: EvaluatedRequest, policies: ApplicablePolicies): Promise<Decision> {
    let policiesKey = this.keys.get(policies);
    if (policiesKey === undefined) {
      policiesKey = JSON.stringify(policies);
      this.keys.set(policies, policiesKey);
    }
    const key = `${policiesKey}\n${JSON.stringify(request)}`;
    let answer = this.answers.get(key);
    if (!answer) {
      answer = this.simulate(request, policies);
      this.answers.set(key, answer);
    }
    return answer;
  }

  private async simulate(request: EvaluatedRequest, policies: ApplicablePolicies): Promise<Decision> {
    this.simulations += 1;
    const { caller } = request;
    const context: Record<string, string | string[]> = {
      'aws:SecureTransport': String(request.secureTransport ?? true),
      ...request.context,
    };
    let principal: string;
    let callerAccount: string | undefined;
    if ('service' in caller) {
      principal = caller.service;
      context['aws:PrincipalIsAWSService'] = 'true';
      context['aws:PrincipalServiceName'] = caller.service;
    } else {
      callerAccount = accountOfArn(caller.role);
      const roleName = caller.role.split('/').at(-1)!;
      principal = `arn:aws:sts::${callerAccount}:assumed-role/${roleName}/${caller.session ?? 'session'}`;
      Object.assign(context, {
        'aws:PrincipalArn': caller.role,
        'aws:PrincipalAccount': callerAccount!,
        'aws:PrincipalType': 'AssumedRole',
      });
      if (caller.organizationId) context['aws:PrincipalOrgID'] = caller.organizationId;
    }
    const resourceAccount =
      request.resourceAccount ?? accountOfArn(request.resource) ?? callerAccount ?? (context['aws:SourceAccount'] as string | undefined);
    if (!resourceAccount) throw new Error(`no account for ${request.resource}: name it in the resource ARN or as aws:SourceAccount`);
    const outcome = await runSimulation(
      {
        request: {
          principal,
          action: request.action,
          resource: { resource: request.resource, accountId: resourceAccount },
          contextVariables: context,
        },
        identityPolicies: policies.identity.map(({ name, document }) => ({ name, policy: document })),
        serviceControlPolicies: [],
        resourceControlPolicies: [],
        ...(policies.resource ? { resourcePolicy: policies.resource } : {}),
      },
      { simulationMode: 'Strict' },
    );
    if (outcome.resultType === 'error')
      throw new Error(`the evaluator refused ${request.action} on ${request.resource}: ${JSON.stringify(outcome.errors)}`);
    return outcome.overallResult;
  }
}
