/** The wire protocols of the stand-in's services: how each answers, and what a request says about itself. */
import type * as http from 'node:http';
import { IAM_VERSION, IAM_XMLNS } from './iam';
import { STS_VERSION, STS_XMLNS } from './sts';
import type { FakeService } from './types';
import { ApiError, queryError, queryResponse, toAwsJson } from './wire';

/** An HTTP answer. */
export interface Reply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** How one wire protocol answers. */
export interface Protocol {
  ok(action: string, requestId: string, result: unknown): Reply;
  error(error: ApiError, requestId: string): Reply;
  invalidToken(): ApiError;
  expiredToken(): ApiError;
  unknownAction(action: string): ApiError;
}

/** IAM's and STS's awsQuery: XML answers under the service's namespace. */
function queryProtocol(xmlns: string, version: string): Protocol {
  const headers = (requestId: string) => ({ 'content-type': 'text/xml', 'x-amzn-requestid': requestId });
  return {
    ok: (action, requestId, result) => ({
      status: 200,
      headers: headers(requestId),
      body: queryResponse(action, xmlns, requestId, result as string | undefined),
    }),
    error: (error, requestId) => ({ status: error.status, headers: headers(requestId), body: queryError(xmlns, requestId, error) }),
    invalidToken: () => new ApiError(403, 'InvalidClientTokenId', 'The security token included in the request is invalid.'),
    expiredToken: () => new ApiError(403, 'ExpiredToken', 'The security token included in the request is expired'),
    unknownAction: (action) => new ApiError(400, 'InvalidAction', `Could not find operation ${action} for version ${version}`),
  };
}

/**
 * An awsJson protocol: Config's and Account's 1.1 (the error type in a header and in `__type`),
 * DynamoDB's 1.0 (error types carry their namespace, and some errors carry fields, the Item of a
 * failed condition).
 */
function jsonProtocol(version: '1.0' | '1.1', errorType: (code: string) => string, errorTypeHeader: boolean): Protocol {
  const contentType = `application/x-amz-json-${version}`;
  return {
    ok: (_action, requestId, result) => ({
      status: 200,
      headers: { 'content-type': contentType, 'x-amzn-requestid': requestId },
      body: toAwsJson(result ?? {}),
    }),
    error: (error, requestId) => ({
      status: error.status,
      headers: {
        'content-type': contentType,
        'x-amzn-requestid': requestId,
        ...(errorTypeHeader ? { 'x-amzn-errortype': error.code } : {}),
      },
      body: JSON.stringify({ __type: errorType(error.code), message: error.message, ...error.fields }),
    }),
    invalidToken: () => new ApiError(400, 'UnrecognizedClientException', 'The security token included in the request is invalid.'),
    expiredToken: () => new ApiError(400, 'ExpiredTokenException', 'The security token included in the request is expired'),
    unknownAction: (action) => new ApiError(400, 'UnknownOperationException', `Unknown operation ${action}`),
  };
}

const JSON_PROTOCOL = jsonProtocol('1.1', (code) => code, true);

/** Each service's protocol. */
export const PROTOCOLS: Record<FakeService, Protocol> = {
  iam: queryProtocol(IAM_XMLNS, IAM_VERSION),
  sts: queryProtocol(STS_XMLNS, STS_VERSION),
  config: JSON_PROTOCOL,
  // restJson1 errors carry the same x-amzn-errortype header and JSON body.
  account: JSON_PROTOCOL,
  dynamodb: jsonProtocol('1.0', (code) => `com.amazonaws.dynamodb.v20120810#${code}`, false),
};

/** The message AWS sends with an error code, for an injected error given none. */
export const DEFAULT_MESSAGES: Record<string, string> = {
  Throttling: 'Rate exceeded',
  ThrottlingException: 'Rate exceeded',
  AccessDenied: 'User is not authorized to perform this action',
  AccessDeniedException: 'User is not authorized to perform this action',
  ProvisionedThroughputExceededException: 'The level of configured provisioned throughput for the table was exceeded.',
  ServiceFailure: 'Service failure',
  InternalFailure: 'An internal error occurred',
};

/** `Credential=<id>/<date>/<region>/<service>/aws4_request` of a SigV4 Authorization header. */
export function parseAuthorization(header: string | undefined): { accessKeyId: string; region: string; service: string } | undefined {
  const match = header && /Credential=([^/,\s]+)\/\d{8}\/([^/]*)\/([^/]*)\//.exec(header);
  return match ? { accessKeyId: match[1]!, region: match[2]!, service: match[3]! } : undefined;
}

/** A request header's (first) value. */
export function headerOf(req: http.IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The SigV4 credential scope of a signed request. */
export type SigV4Scope = { accessKeyId: string; region: string };

/** The region a request was signed for (us-east-1 when unsigned). */
export const regionOf = (auth: SigV4Scope | undefined): string => auth?.region || 'us-east-1';

/** The error code of an awsJson error body (`__type`, without its namespace). */
export function errorTypeOf(body: string): string | undefined {
  try {
    const type = (JSON.parse(body) as { __type?: unknown }).__type;
    return typeof type === 'string' ? type.slice(type.lastIndexOf('#') + 1) : undefined;
  } catch {
    return undefined;
  }
}
