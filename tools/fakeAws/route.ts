import type * as http from 'node:http';
import { ACCOUNT_PATHS, accountActions } from './account';
import { CONFIG_TARGET_PREFIX, type JsonAction } from './config';
import { DYNAMODB_TARGET_PREFIX, dynamodbActions } from './dynamodb';
import { IAM_VERSION, type QueryAction } from './iam';
import { headerOf, PROTOCOLS, regionOf, type SigV4Scope } from './protocols';
import type { AccountState } from './state';
import { STS_VERSION } from './sts';
import type { FakeService } from './types';
import { ApiError } from './wire';

/** The actions of the query services (IAM, STS) and of Config, as the stand-in built them. */
export interface Actions {
  query: Record<'iam' | 'sts', Record<string, QueryAction>>;
  config: Record<string, JsonAction>;
}

/** What a request asks for and how to answer it once admitted: `run` throws the ApiError to answer. */
export interface Route {
  service: FakeService;
  action: string;
  params: Record<string, unknown>;
  /** A DynamoDB request whose body parsed: one a DynamoDB upstream can answer instead. */
  forwardable: boolean;
  run(ctx: { account: AccountState; accessKeyId?: string }): unknown;
}

/**
 * The service, action and parameters of a request, told apart by its protocol: an X-Amz-Target
 * of DynamoDB or of Config (awsJson), a POST to an Account path (restJson1), else an awsQuery form
 * (STS for its Version, else IAM).
 */
export function route(
  req: http.IncomingMessage,
  body: string,
  auth: (SigV4Scope & { service?: string }) | undefined,
  actions: Actions,
): Route {
  const target = headerOf(req, 'x-amz-target');
  if (target !== undefined) {
    const dot = target.lastIndexOf('.');
    const action = target.slice(dot + 1);
    const { params, parseError } = jsonParams(body);
    if (target.slice(0, dot) === DYNAMODB_TARGET_PREFIX) {
      const operation = Object.hasOwn(dynamodbActions, action) ? dynamodbActions[action] : undefined;
      return {
        service: 'dynamodb',
        action,
        params,
        forwardable: !parseError,
        run: ({ account }) => {
          if (parseError) throw parseError;
          if (!operation) throw PROTOCOLS.dynamodb.unknownAction(target);
          return operation({ account, params, region: regionOf(auth) });
        },
      };
    }
    const run = target.slice(0, dot) === CONFIG_TARGET_PREFIX ? actions.config[action] : undefined;
    return {
      service: 'config',
      action,
      params,
      forwardable: false,
      run: ({ account, accessKeyId }) => {
        if (parseError) throw parseError;
        if (!run) throw PROTOCOLS.config.unknownAction(target);
        return run({ account, params, accessKeyId, region: auth?.region });
      },
    };
  }
  const accountAction = req.method === 'POST' ? ACCOUNT_PATHS[(req.url ?? '').split('?')[0]!] : undefined;
  if (accountAction !== undefined) {
    // A body that is not a JSON object is answered by the action as a validation error.
    const { params } = jsonParams(body);
    return {
      service: 'account',
      action: accountAction,
      params,
      forwardable: false,
      run: ({ account }) => accountActions[accountAction]!({ account, params }),
    };
  }
  const form = new URLSearchParams(body);
  const action = form.get('Action') ?? '';
  const version = form.get('Version');
  const params: Record<string, string> = {};
  for (const [key, value] of form) if (key !== 'Action' && key !== 'Version') params[key] = value;
  const service: 'iam' | 'sts' =
    version === STS_VERSION || (version !== IAM_VERSION && (auth?.service === 'sts' || action in actions.query.sts)) ? 'sts' : 'iam';
  const run = Object.hasOwn(actions.query[service], action) ? actions.query[service][action] : undefined;
  return {
    service,
    action,
    params,
    forwardable: false,
    run: ({ account, accessKeyId }) => {
      if (!run) throw PROTOCOLS[service].unknownAction(action);
      return run({ account, params, accessKeyId });
    },
  };
}

/** A JSON body's top-level object ({} for an empty body), or the SerializationException to answer. */
function jsonParams(body: string): { params: Record<string, unknown>; parseError?: ApiError } {
  try {
    const parsed: unknown = body.trim() === '' ? {} : JSON.parse(body);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
    return { params: parsed as Record<string, unknown> };
  } catch {
    return { params: {}, parseError: new ApiError(400, 'SerializationException', 'Request body is not a JSON object') };
  }
}
