/**
 * Offline validation of CloudFormation templates against AWS resource provider schemas
 * (copies in test/schemas/, see its README.md for provenance and licences).
 *
 * Approach to intrinsic functions (so that they neither raise bogus type errors nor switch
 * validation off):
 *
 * 1. `Fn::If` and `AWS::NoValue` are resolved *before* validation. The value is expanded once
 *    per assignment of the condition names it uses (all 2^n assignments for n <= 6 conditions,
 *    otherwise all-true, all-false and every single flip of those), so both branches of every
 *    `Fn::If` are validated, and consistently when one condition is used twice. `{Ref:
 *    AWS::NoValue}` removes the key (or list item) it stands in, so `required`/`minItems` see the
 *    property as absent. A resource's own `Condition` is fixed to true while expanding it. An
 *    error found only in some expansions says which (`(when IsProd=false)`). A malformed
 *    `Fn::If` cannot be expanded and is an error.
 * 2. Every schema is rewritten (on a copy) so that each *value position* (property, pattern
 *    property, additionalProperties, array item, and the root) becomes
 *    `if <value is an intrinsic-function object> then <cfnIntrinsic: accepted types> else
 *    <original schema>`. An intrinsic-function object is an object with exactly one key naming
 *    a function (`Ref`, `Fn::GetAtt`, `Fn::Sub`, ...). The `cfnIntrinsic` keyword checks only
 *    that what the function can return (string/number/boolean, list, or both) is one of the
 *    types the position accepts, e.g. `Fn::Split` for a string or `Fn::Sub` for an object is an
 *    error. Literal values everywhere else, including every literal object around or beside an
 *    intrinsic, get the full schema: required properties, enums, patterns, lengths,
 *    additionalProperties: false, nested objects.
 * 3. References are checked on the unexpanded template: `Ref`/`Fn::GetAtt`/`Fn::Sub` names,
 *    `Fn::If` and resource/output `Condition` names, `DependsOn`, `Fn::FindInMap` map names.
 *
 * Schema keywords: draft-07 under Ajv with `strictSchema` on; the registry's meta keywords
 * (`tagging`, `readOnlyProperties`, `insertionOrder`, ...) are declared as annotations, so an
 * unknown keyword in a future schema copy fails loudly instead of being ignored. cfn-lint's
 * `requiredOr` (at least one of) and `dependentExcluded` (if A is present, none of B...) are
 * implemented as custom keywords. Formats: cfn-lint's resource-reference formats
 * (`AWS::IAM::Role.Arn`, ...) accept anything; `json` must parse as JSON; `uri` must parse as
 * an absolute URL. Patterns are Python `re` syntax, translated where JS differs. Properties in
 * `readOnlyProperties` given as input are reported. ajv-formats is not needed (and not used).
 *
 * Left unchecked: `Fn::GetAtt` attribute names; the arguments of intrinsic functions beyond
 * the references above; values of `Ref`s to parameters (a parameter of any type is accepted
 * wherever a scalar or list is); YAML `Content` of an AWS::SSM::Document; `aws:branch`
 * choices (the Automation schema nests them under a key the real format does not use).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv, { type ErrorObject, type SchemaValidateFunction, type ValidateFunction } from 'ajv';

// ---------------------------------------------------------------------------------------------
// Small JSON helpers

type JsonObject = Record<string, unknown>;
type JsonType = 'string' | 'number' | 'integer' | 'boolean' | 'array' | 'object' | 'null';

const ALL_TYPES: readonly JsonType[] = ['string', 'number', 'integer', 'boolean', 'array', 'object', 'null'];
const SCALAR: readonly JsonType[] = ['string', 'number', 'integer', 'boolean'];
const LIST: readonly JsonType[] = ['array'];
const SCALAR_OR_LIST: readonly JsonType[] = [...SCALAR, ...LIST];

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function jsonTypesOf(value: unknown): JsonType[] {
  if (value === null) return ['null'];
  if (Array.isArray(value)) return ['array'];
  if (typeof value === 'number') return Number.isInteger(value) ? ['integer', 'number'] : ['number'];
  if (typeof value === 'string') return ['string'];
  if (typeof value === 'boolean') return ['boolean'];
  return isObject(value) ? ['object'] : [];
}

function clone<T>(value: T): T {
  return structuredClone(value);
}

function unescapePointer(token: string): string {
  return token.replace(/~1/g, '/').replace(/~0/g, '~');
}

// ---------------------------------------------------------------------------------------------
// Intrinsic functions

/** What each intrinsic function can evaluate to. `any`: not type-checked (resolved or opaque). */
const INTRINSIC_RESULTS: Readonly<Record<string, readonly JsonType[] | 'any'>> = {
  Ref: SCALAR_OR_LIST, // a parameter may be a List<...> / CommaDelimitedList
  'Fn::GetAtt': SCALAR_OR_LIST, // some attributes are lists (e.g. AWS::EC2::VPC CidrBlockAssociations)
  'Fn::FindInMap': SCALAR_OR_LIST,
  'Fn::Sub': SCALAR,
  'Fn::Join': SCALAR,
  'Fn::Base64': SCALAR,
  'Fn::ToJsonString': SCALAR,
  'Fn::Select': SCALAR,
  'Fn::ImportValue': SCALAR, // exports are strings
  'Fn::Length': SCALAR,
  'Fn::Split': LIST,
  'Fn::GetAZs': LIST,
  'Fn::Cidr': LIST,
  'Fn::If': 'any', // expanded before validation; a malformed one that survives is an error
  'Fn::Transform': 'any', // a macro: its output is unknown offline
};

const INTRINSIC_NAMES = Object.keys(INTRINSIC_RESULTS);

/** The function name if `value` is an intrinsic-function object (`{ "Fn::Sub": ... }`). */
function intrinsicName(value: unknown): string | undefined {
  if (!isObject(value)) return undefined;
  const keys = Object.keys(value);
  return keys.length === 1 && keys[0] in INTRINSIC_RESULTS ? keys[0] : undefined;
}

const PSEUDO_PARAMETERS = new Set([
  'AWS::AccountId',
  'AWS::NotificationARNs',
  'AWS::NoValue',
  'AWS::Partition',
  'AWS::Region',
  'AWS::StackId',
  'AWS::StackName',
  'AWS::URLSuffix',
]);

// ---------------------------------------------------------------------------------------------
// Fn::If / AWS::NoValue expansion

const NO_VALUE: unique symbol = Symbol('AWS::NoValue');
type Assignment = ReadonlyMap<string, boolean>;

function collectIfConditions(value: unknown, out: Set<string>): Set<string> {
  if (Array.isArray(value)) {
    for (const item of value) collectIfConditions(item, out);
  } else if (isObject(value)) {
    const args = value['Fn::If'];
    if (intrinsicName(value) === 'Fn::If' && Array.isArray(args) && typeof args[0] === 'string') out.add(args[0]);
    for (const child of Object.values(value)) collectIfConditions(child, out);
  }
  return out;
}

/** `value` with every well-formed Fn::If replaced by its branch and AWS::NoValue removed. */
function resolveConditions(value: unknown, assignment: Assignment): unknown {
  if (Array.isArray(value)) {
    return value.map((item) => resolveConditions(item, assignment)).filter((item) => item !== NO_VALUE);
  }
  if (!isObject(value)) return value;
  const fn = intrinsicName(value);
  if (fn === 'Ref' && value.Ref === 'AWS::NoValue') return NO_VALUE;
  if (fn === 'Fn::If') {
    const args = value['Fn::If'];
    if (Array.isArray(args) && args.length === 3 && typeof args[0] === 'string' && assignment.has(args[0])) {
      return resolveConditions(assignment.get(args[0]) ? args[1] : args[2], assignment);
    }
    return value; // malformed: left for the reference check to report
  }
  const out: JsonObject = {};
  for (const [key, child] of Object.entries(value)) {
    const resolved = resolveConditions(child, assignment);
    if (resolved !== NO_VALUE) out[key] = resolved;
  }
  return out;
}

const EXHAUSTIVE_CONDITION_LIMIT = 6;

function conditionAssignments(names: readonly string[], fixed: Assignment): Assignment[] {
  const base = (pick: (name: string, index: number) => boolean): Assignment =>
    new Map([...fixed, ...names.map((name, i): [string, boolean] => [name, pick(name, i)])]);
  if (names.length <= EXHAUSTIVE_CONDITION_LIMIT) {
    return Array.from({ length: 2 ** names.length }, (_, bits) => base((_name, i) => ((bits >> i) & 1) === 0));
  }
  // Too many combinations: still visit every branch of every Fn::If at least once, and each
  // condition against both values of all the others.
  const out = [base(() => true), base(() => false)];
  names.forEach((_flip, j) => {
    out.push(base((_name, i) => i !== j));
    out.push(base((_name, i) => i === j));
  });
  return out;
}

/**
 * Runs `check` on every Fn::If expansion of `value` and merges the errors. An error that occurs
 * only in some expansions is suffixed with the first condition assignment that produced it.
 */
function acrossConditions(value: unknown, fixed: Assignment, check: (resolved: unknown) => string[]): string[] {
  const names = [...collectIfConditions(value, new Set())].filter((name) => !fixed.has(name)).sort();
  const assignments = conditionAssignments(names, fixed);
  const seen = new Map<string, { count: number; when: string }>();
  for (const assignment of assignments) {
    const resolved = resolveConditions(value, assignment);
    for (const error of new Set(check(resolved === NO_VALUE ? undefined : resolved))) {
      const entry = seen.get(error);
      if (entry) entry.count += 1;
      else seen.set(error, { count: 1, when: names.map((name) => `${name}=${String(assignment.get(name))}`).join(', ') });
    }
  }
  return [...seen].map(([error, { count, when }]) => (count === assignments.length ? error : `${error} (when ${when})`));
}

// ---------------------------------------------------------------------------------------------
// Schema rewriting: make every value position intrinsic-aware

const INTRINSIC_DEFINITION = 'cfnValidatorIntrinsicFunction';
const INTRINSIC_DETECTOR = {
  type: 'object',
  minProperties: 1,
  maxProperties: 1,
  propertyNames: { enum: INTRINSIC_NAMES },
};

function resolveLocalRef(root: JsonObject, ref: string): unknown {
  if (!ref.startsWith('#')) return undefined;
  let node: unknown = root;
  for (const token of ref.slice(1).split('/').filter(Boolean).map(unescapePointer)) {
    node = isObject(node) ? node[token] : undefined;
  }
  return node;
}

function intersect(a: ReadonlySet<JsonType>, b: Iterable<JsonType>): Set<JsonType> {
  const bs = new Set(b);
  return new Set([...a].filter((t) => bs.has(t)));
}

function normaliseTypes(types: Iterable<JsonType>): Set<JsonType> {
  const out = new Set(types);
  if (out.has('number')) out.add('integer'); // integer is a subset of number
  return out;
}

/** The JSON types a schema can accept at all (an over-approximation), following local $refs. */
function acceptedTypes(schema: unknown, root: JsonObject, refs: ReadonlySet<string> = new Set()): Set<JsonType> {
  if (schema === false) return new Set();
  if (!isObject(schema)) return new Set(ALL_TYPES);
  let acc = new Set<JsonType>(ALL_TYPES);
  if (schema.type !== undefined) {
    acc = intersect(acc, normaliseTypes((Array.isArray(schema.type) ? schema.type : [schema.type]) as JsonType[]));
  }
  if (typeof schema.$ref === 'string' && !refs.has(schema.$ref)) {
    acc = intersect(acc, acceptedTypes(resolveLocalRef(root, schema.$ref), root, new Set([...refs, schema.$ref])));
  }
  if (Array.isArray(schema.allOf)) {
    for (const branch of schema.allOf) acc = intersect(acc, acceptedTypes(branch, root, refs));
  }
  for (const key of ['anyOf', 'oneOf'] as const) {
    const branches = schema[key];
    if (Array.isArray(branches)) {
      acc = intersect(acc, branches.flatMap((branch) => [...acceptedTypes(branch, root, refs)]));
    }
  }
  if (Array.isArray(schema.enum)) acc = intersect(acc, schema.enum.flatMap(jsonTypesOf));
  if ('const' in schema) acc = intersect(acc, jsonTypesOf(schema.const));
  return acc;
}

function wrapValuePosition(rewritten: JsonObject | boolean, original: unknown, root: JsonObject): JsonObject | boolean {
  if (typeof rewritten === 'boolean') return rewritten;
  const accepted = acceptedTypes(original, root);
  const then = { cfnIntrinsic: ALL_TYPES.filter((t) => accepted.has(t)) };
  return { if: { $ref: `#/definitions/${INTRINSIC_DEFINITION}` }, then, else: rewritten };
}

/** Keywords whose values are subschemas applied to the *same* value: recurse, do not wrap. */
const SAME_VALUE_LIST_KEYWORDS = new Set(['allOf', 'anyOf', 'oneOf']);
const SAME_VALUE_KEYWORDS = new Set(['then', 'else']);
/** Keywords whose map values are subschemas for *child* values: wrap each. */
const CHILD_MAP_KEYWORDS = new Set(['properties', 'patternProperties']);
const CHILD_KEYWORDS = new Set(['additionalProperties', 'additionalItems']);
// Left as they are: `if` and `not` (wrapping would change their meaning), `contains`,
// `propertyNames` (keys are never intrinsics), and all non-schema keywords.

function rewriteSchema(node: unknown, root: JsonObject, valuePosition: boolean): JsonObject | boolean {
  if (typeof node === 'boolean') return node;
  if (!isObject(node)) throw new Error(`not a schema: ${JSON.stringify(node)}`);
  const out: JsonObject = {};
  for (const [keyword, value] of Object.entries(node)) {
    if (CHILD_MAP_KEYWORDS.has(keyword) && isObject(value)) {
      out[keyword] = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rewriteSchema(v, root, true)]));
    } else if (keyword === 'definitions' && isObject(value)) {
      out[keyword] = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rewriteSchema(v, root, false)]));
    } else if (keyword === 'items') {
      out[keyword] = Array.isArray(value) ? value.map((v) => rewriteSchema(v, root, true)) : rewriteSchema(value, root, true);
    } else if (CHILD_KEYWORDS.has(keyword) && typeof value !== 'boolean') {
      out[keyword] = rewriteSchema(value, root, true);
    } else if (SAME_VALUE_LIST_KEYWORDS.has(keyword) && Array.isArray(value)) {
      out[keyword] = value.map((v) => rewriteSchema(v, root, false));
    } else if (SAME_VALUE_KEYWORDS.has(keyword)) {
      out[keyword] = rewriteSchema(value, root, false);
    } else if (keyword === 'dependencies' && isObject(value)) {
      out[keyword] = Object.fromEntries(
        Object.entries(value).map(([k, v]) => [k, Array.isArray(v) ? v : rewriteSchema(v, root, false)]),
      );
    } else {
      out[keyword] = value;
    }
  }
  return valuePosition ? wrapValuePosition(out, node, root) : out;
}

/** The intrinsic-aware copy of a whole schema document. */
function intrinsicAware(schema: JsonObject): JsonObject {
  const { definitions, ...body } = schema;
  const rewrittenDefinitions = isObject(definitions)
    ? Object.fromEntries(Object.entries(definitions).map(([k, v]) => [k, rewriteSchema(v, schema, false)]))
    : {};
  const wrapped = wrapValuePosition(rewriteSchema(body, schema, false), schema, schema) as JsonObject;
  return { definitions: { ...rewrittenDefinitions, [INTRINSIC_DEFINITION]: INTRINSIC_DETECTOR }, ...wrapped };
}

// ---------------------------------------------------------------------------------------------
// Ajv: keywords, formats, compilation

/** Registry/cfn-lint/IDE keywords that carry no validation of inputs. */
const ANNOTATION_KEYWORDS = [
  'additionalIdentifiers',
  'arrayType',
  'conditionalCreateOnlyProperties',
  'createOnlyProperties',
  'defaultSnippets',
  'deprecatedProperties',
  'documentationUrl',
  'handlers',
  'insertionOrder',
  'nonPublicDefinitions',
  'nonPublicProperties',
  'primaryIdentifier',
  'propertyTransform',
  'readOnlyProperties',
  'relationshipRef',
  'replacementStrategy',
  'resourceLink',
  'sourceUrl',
  'taggable',
  'tagging',
  'typeName',
  'writeOnlyProperties',
];

const RESOURCE_REFERENCE_FORMAT = /^AWS::[A-Za-z0-9]+::[A-Za-z0-9]+\.[A-Za-z0-9]+$/;

const requiredOr: SchemaValidateFunction = (schema: string[], data: JsonObject) => {
  if (schema.some((key) => key in data)) return true;
  requiredOr.errors = [
    { keyword: 'requiredOr', message: `must have at least one of the properties ${schema.join(', ')}`, params: { requiredOr: schema } },
  ];
  return false;
};

const dependentExcluded: SchemaValidateFunction = (schema: Record<string, string[]>, data: JsonObject) => {
  const errors = Object.entries(schema).flatMap(([present, excluded]) =>
    present in data
      ? excluded
          .filter((key) => key in data)
          .map((key) => ({
            keyword: 'dependentExcluded',
            message: `must NOT have property '${key}' together with '${present}'`,
            params: { property: present, excluded: key },
          }))
      : [],
  );
  dependentExcluded.errors = errors;
  return errors.length === 0;
};

const cfnIntrinsic: SchemaValidateFunction = (accepted: JsonType[], data: JsonObject) => {
  const fn = Object.keys(data)[0];
  if (fn === 'Fn::If') {
    // Every well-formed Fn::If has been expanded away before validation.
    cfnIntrinsic.errors = [
      { keyword: 'cfnIntrinsic', message: 'Fn::If must be [conditionName, valueIfTrue, valueIfFalse]', params: { fn, accepted } },
    ];
    return false;
  }
  const returns = INTRINSIC_RESULTS[fn];
  if (returns === 'any' || returns.some((t) => accepted.includes(t))) return true;
  const describe = (types: readonly JsonType[]): string =>
    [...new Set(types.map((t) => (t === 'array' ? 'a list' : t === 'object' ? 'an object' : t === 'null' ? 'null' : 'a scalar')))].join(' or ');
  cfnIntrinsic.errors = [
    { keyword: 'cfnIntrinsic', message: `${fn} yields ${describe(returns)}, but ${describe(accepted)} is expected here`, params: { fn, accepted } },
  ];
  return false;
};

function isAbsoluteUrl(value: string): boolean {
  try {
    new URL(value);
    return true;
  } catch {
    return false;
  }
}

function isJsonText(value: string): boolean {
  try {
    JSON.parse(value);
    return true;
  } catch {
    return false;
  }
}

/** Python-only regexp syntax -> JS: the `\A`/`\Z` anchors and `(?P<name>` groups. */
function pythonToJsPattern(pattern: string): string {
  let out = '';
  for (let i = 0; i < pattern.length; i += 1) {
    const c = pattern[i];
    if (c === '\\' && i + 1 < pattern.length) {
      const next = pattern[i + 1];
      out += next === 'A' ? '^' : next === 'Z' ? '$' : c + next;
      i += 1;
    } else if (pattern.startsWith('(?P<', i)) {
      out += '(?<';
      i += 3;
    } else {
      out += c;
    }
  }
  return out;
}

/**
 * The schemas' patterns come from the registry and cfn-lint, which use Python `re`. Python-only
 * syntax is translated; then most compile as Unicode JS regexps (which `\p{L}` needs); some use
 * escapes Unicode mode rejects, like `\-` outside a class or a bare `{`, and are compiled without
 * the `u` flag, where they mean what Python means. A pattern neither mode accepts (e.g. an inline
 * `(?i)` flag) still fails the compilation.
 */
const registryRegExp = Object.assign(
  (pattern: string, flags: string): RegExp => {
    const js = pythonToJsPattern(pattern);
    try {
      return new RegExp(js, flags);
    } catch {
      return new RegExp(js, flags.replace('u', ''));
    }
  },
  { code: 'new RegExp' },
);

let ajvInstance: Ajv | undefined;

function ajv(): Ajv {
  if (ajvInstance) return ajvInstance;
  const instance = new Ajv({
    allErrors: true,
    strict: true, // unknown keywords and formats throw at compile time...
    strictTypes: false, // ...but the registry schemas routinely put `type` next to other keywords
    strictTuples: false,
    strictRequired: false,
    allowUnionTypes: true,
    code: { regExp: registryRegExp },
  });
  instance.addVocabulary(ANNOTATION_KEYWORDS);
  instance.addKeyword({ keyword: 'requiredOr', type: 'object', schemaType: 'array', errors: true, validate: requiredOr });
  instance.addKeyword({ keyword: 'dependentExcluded', type: 'object', schemaType: 'object', errors: true, validate: dependentExcluded });
  instance.addKeyword({ keyword: 'cfnIntrinsic', type: 'object', schemaType: 'array', errors: true, validate: cfnIntrinsic });
  instance.addFormat('json', { type: 'string', validate: isJsonText });
  instance.addFormat('uri', { type: 'string', validate: isAbsoluteUrl });
  ajvInstance = instance;
  return instance;
}

/** Registers every cfn-lint resource-reference format used by `schema` as "anything goes". */
function registerResourceReferenceFormats(schema: unknown): void {
  if (Array.isArray(schema)) {
    schema.forEach(registerResourceReferenceFormats);
  } else if (isObject(schema)) {
    const format = schema.format;
    if (typeof format === 'string' && RESOURCE_REFERENCE_FORMAT.test(format) && !ajv().formats[format]) {
      ajv().addFormat(format, true);
    }
    Object.values(schema).forEach(registerResourceReferenceFormats);
  }
}

function compile(schema: JsonObject): ValidateFunction {
  const rest = { ...schema };
  delete rest.$schema; // draft-07 / registry meta-schema URLs that Ajv is not given
  registerResourceReferenceFormats(rest);
  return ajv().compile(intrinsicAware(rest));
}

function formatError(error: ErrorObject, prefix: string): string {
  const where = `${prefix}${error.instancePath}` || '(root)';
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties':
      return `${where}/${String(params.additionalProperty)}: unknown property (not allowed by the schema)`;
    case 'enum':
      return `${where}: ${error.message}: ${JSON.stringify(params.allowedValues)}`;
    case 'const':
      return `${where}: ${error.message}: ${JSON.stringify(params.allowedValue)}`;
    default:
      return `${where}: ${error.message ?? error.keyword}`;
  }
}

function runValidator(validate: ValidateFunction, data: unknown, prefix: string): string[] {
  if (validate(data)) return [];
  // `if` errors only say "must match then/else schema"; the errors of that branch follow anyway.
  const errors = (validate.errors ?? []).filter((e) => e.keyword !== 'if').map((e) => formatError(e, prefix));
  return [...new Set(errors)];
}

// ---------------------------------------------------------------------------------------------
// Schema files

const SCHEMA_DIR = path.resolve(__dirname, '..', 'schemas');
const OVERLAY_DIR = path.join(SCHEMA_DIR, 'overlays');
const AUTOMATION_SCHEMA_FILE = 'SSM-AutomationDocument-0.3.json';

function readJson(file: string): unknown {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

/** RFC 6902 `add`/`replace` (all the overlays need); anything else throws. */
function applyJsonPatch(document: JsonObject, operations: unknown, source: string): void {
  if (!Array.isArray(operations)) throw new Error(`${source}: a JSON Patch must be an array`);
  for (const op of operations) {
    if (!isObject(op) || (op.op !== 'add' && op.op !== 'replace') || typeof op.path !== 'string') {
      throw new Error(`${source}: unsupported JSON Patch operation ${JSON.stringify(op)}`);
    }
    const tokens = op.path.split('/').slice(1).map(unescapePointer);
    const last = tokens.pop();
    let parent: unknown = document;
    for (const token of tokens) parent = Array.isArray(parent) ? parent[Number(token)] : isObject(parent) ? parent[token] : undefined;
    if (last === undefined || !(isObject(parent) || Array.isArray(parent))) throw new Error(`${source}: no parent for ${op.path}`);
    if (Array.isArray(parent)) {
      const index = last === '-' ? parent.length : Number(last);
      parent.splice(index, op.op === 'replace' ? 1 : 0, clone(op.value));
    } else {
      if (op.op === 'replace' && !(last in parent)) throw new Error(`${source}: nothing to replace at ${op.path}`);
      parent[last] = clone(op.value);
    }
  }
}

interface ResourceSchema {
  readonly file: string;
  readonly schema: JsonObject;
  validate?: ValidateFunction;
}

let resourceSchemas: Map<string, ResourceSchema> | undefined;

/** typeName -> schema (with overlays applied), from every `test/schemas/*.json` but the SSM one. */
function schemasByType(): Map<string, ResourceSchema> {
  if (resourceSchemas) return resourceSchemas;
  const overlays = fs.existsSync(OVERLAY_DIR) ? fs.readdirSync(OVERLAY_DIR).filter((f) => f.endsWith('.patch.json')).sort() : [];
  const byType = new Map<string, ResourceSchema>();
  for (const file of fs.readdirSync(SCHEMA_DIR).filter((f) => f.endsWith('.json') && f !== AUTOMATION_SCHEMA_FILE).sort()) {
    const schema = readJson(path.join(SCHEMA_DIR, file));
    if (!isObject(schema) || typeof schema.typeName !== 'string') throw new Error(`${file}: not a resource provider schema`);
    const base = file.slice(0, -'.json'.length);
    for (const overlay of overlays.filter((o) => o.startsWith(`${base}.`))) {
      applyJsonPatch(schema, readJson(path.join(OVERLAY_DIR, overlay)), `overlays/${overlay}`);
    }
    byType.set(schema.typeName, { file, schema });
  }
  resourceSchemas = byType;
  return byType;
}

/** The resource types that have a schema in test/schemas/. */
export function knownResourceTypes(): string[] {
  return [...schemasByType().keys()].sort();
}

// ---------------------------------------------------------------------------------------------
// SSM Automation documents

let automationValidator: ValidateFunction | undefined;

function expectObject(value: unknown, where: string): JsonObject {
  if (!isObject(value)) throw new Error(`${AUTOMATION_SCHEMA_FILE}: expected an object at ${where}; the schema layout changed`);
  return value;
}

/**
 * The 2020 schema, narrowly brought up to date (each step asserts the layout it patches, so a
 * refreshed schema file fails loudly instead of silently skipping a patch):
 * - actions added since: aws:loop (nested steps), aws:updateVariable, aws:invokeWebhook;
 * - aws:executeScript runtimes python3.8 to python3.11, PowerShell 7.0 and 7.4 (AWS documents only
 *   Python and PowerShell runtimes for this action, so no Node.js);
 * - step properties `description` and `onCancel`; top-level `variables`;
 * - the aws:waitForAwsResourceProperty inputs rule, which the schema keys on a misspelt action
 *   name ("...Properties") and so never applies.
 */
export function relaxedAutomationSchema(): JsonObject {
  const schema = expectObject(clone(readJson(path.join(SCHEMA_DIR, AUTOMATION_SCHEMA_FILE))), '(root)');
  const properties = expectObject(schema.properties, 'properties');
  const mainSteps = expectObject(properties.mainSteps, 'properties.mainSteps');
  const step = expectObject(mainSteps.items, 'properties.mainSteps.items');
  const stepProperties = expectObject(step.properties, 'step.properties');
  const action = expectObject(stepProperties.action, 'step.properties.action');
  if (!Array.isArray(action.enum) || !Array.isArray(step.allOf)) throw new Error(`${AUTOMATION_SCHEMA_FILE}: step layout changed`);
  const actionRule = (name: string): JsonObject => {
    const rule = (step.allOf as unknown[]).find((r) => isObject(r) && isObject(r.if) && JSON.stringify(r.if).includes(`"${name}"`));
    return expectObject(rule, `step.allOf[action=${name}]`);
  };
  const inputsOf = (rule: JsonObject): JsonObject =>
    expectObject(expectObject(expectObject(rule.then, 'then').properties, 'then.properties').inputs, 'then.properties.inputs');

  // Steps become a definition so that aws:loop can nest them.
  schema.definitions = { step };
  mainSteps.items = { $ref: '#/definitions/step' };

  action.enum.push('aws:invokeWebhook', 'aws:loop', 'aws:updateVariable');
  stepProperties.description = { type: 'string' };
  stepProperties.onCancel = { type: 'string', pattern: '^(Abort|step:\\w+)$' };

  const runtime = expectObject(expectObject(inputsOf(actionRule('aws:executeScript')).properties, 'inputs.properties').Runtime, 'Runtime');
  const runtimeEnum = Array.isArray(runtime.oneOf) && isObject(runtime.oneOf[0]) ? runtime.oneOf[0].enum : undefined;
  if (!Array.isArray(runtimeEnum)) throw new Error(`${AUTOMATION_SCHEMA_FILE}: aws:executeScript Runtime layout changed`);
  runtimeEnum.push('python3.8', 'python3.9', 'python3.10', 'python3.11', 'PowerShell 7.0', 'PowerShell 7.4');

  const waitFor = expectObject(expectObject(actionRule('aws:waitForAwsResourceProperties').if, 'if').properties, 'if.properties');
  waitFor.action = { const: 'aws:waitForAwsResourceProperty' };

  const onAction = (name: string, inputs: JsonObject): JsonObject => ({
    if: { properties: { action: { const: name } } },
    then: { properties: { inputs }, required: ['inputs'] },
  });
  step.allOf.push(
    onAction('aws:loop', {
      properties: {
        Iterators: { type: ['array', 'string'] },
        IteratorDataType: { type: 'string' },
        LoopCondition: { type: 'object' },
        MaxIterations: { type: ['integer', 'string'] },
        Steps: { type: 'array', minItems: 1, items: { $ref: '#/definitions/step' } },
      },
      required: ['Steps'],
    }),
    onAction('aws:updateVariable', {
      properties: { Name: { type: 'string', pattern: '^variable:' }, Value: {} },
      required: ['Name', 'Value'],
    }),
    onAction('aws:invokeWebhook', {
      properties: { IntegrationName: { type: 'string' }, Body: { type: 'string' } },
      required: ['IntegrationName'],
    }),
  );

  properties.variables = {
    type: 'object',
    additionalProperties: {
      type: 'object',
      required: ['type'],
      additionalProperties: false,
      properties: {
        type: { type: 'string', enum: ['String', 'StringList', 'Boolean', 'Integer', 'MapList', 'StringMap'] },
        default: {},
        description: { type: 'string' },
      },
    },
  };
  return schema;
}

/** Step names are unique and every `nextStep`/`step:` target exists (runtime failures otherwise). */
function automationStepReferenceErrors(document: unknown, prefix: string): string[] {
  if (!isObject(document) || !Array.isArray(document.mainSteps)) return [];
  const errors: string[] = [];
  const names = new Set<string>();
  const targets: Array<[string, unknown]> = [];
  const visit = (steps: unknown[], where: string): void => {
    steps.forEach((step, i) => {
      if (!isObject(step)) return;
      const at = `${where}/${i}`;
      if (typeof step.name === 'string') {
        if (names.has(step.name)) errors.push(`${at}/name: duplicate step name '${step.name}'`);
        names.add(step.name);
      }
      targets.push([`${at}/nextStep`, step.nextStep]);
      for (const key of ['onFailure', 'onCancel']) {
        const value = step[key];
        if (typeof value === 'string' && value.startsWith('step:')) targets.push([`${at}/${key}`, value.slice('step:'.length)]);
      }
      const inputs = step.inputs;
      if (isObject(inputs)) {
        if (step.action === 'aws:branch') {
          targets.push([`${at}/inputs/Default`, inputs.Default]);
          if (Array.isArray(inputs.Choices)) {
            inputs.Choices.forEach((choice, c) => isObject(choice) && targets.push([`${at}/inputs/Choices/${c}/NextStep`, choice.NextStep]));
          }
        }
        if (step.action === 'aws:loop' && Array.isArray(inputs.Steps)) visit(inputs.Steps, `${at}/inputs/Steps`);
      }
    });
  };
  visit(document.mainSteps, `${prefix}/mainSteps`);
  for (const [where, target] of targets) {
    if (typeof target === 'string' && !target.includes('{{') && !names.has(target)) errors.push(`${where}: no step named '${target}'`);
  }
  return errors;
}

function automationErrors(document: unknown, prefix: string): string[] {
  automationValidator ??= compile(relaxedAutomationSchema());
  return [...runValidator(automationValidator, document, prefix), ...automationStepReferenceErrors(document, prefix)];
}

/**
 * Errors (empty = valid) for an SSM Automation document body (schemaVersion 0.3), e.g. the
 * `Content` of an AWS::SSM::Document with `DocumentType: Automation`. Intrinsic functions in it
 * are handled as in templates.
 */
export function validateAutomationDocument(content: unknown): string[] {
  return acrossConditions(content, new Map(), (resolved) => automationErrors(resolved, ''));
}

// ---------------------------------------------------------------------------------------------
// Resources

function readOnlyErrors(schema: JsonObject, properties: unknown): string[] {
  const pointers = Array.isArray(schema.readOnlyProperties) ? schema.readOnlyProperties : [];
  const errors: string[] = [];
  for (const pointer of pointers) {
    if (typeof pointer !== 'string' || !pointer.startsWith('/properties/')) continue;
    const tokens = pointer.slice('/properties/'.length).split('/').map(unescapePointer);
    const walk = (node: unknown, i: number, where: string): void => {
      if (i === tokens.length) {
        errors.push(`${where}: read-only property (an output of the resource); must not be set`);
        return;
      }
      if (tokens[i] === '*') {
        if (Array.isArray(node)) node.forEach((item, j) => walk(item, i + 1, `${where}/${j}`));
      } else if (isObject(node) && tokens[i] in node) {
        walk(node[tokens[i]], i + 1, `${where}/${tokens[i]}`);
      }
    };
    walk(properties, 0, 'Properties');
  }
  return errors;
}

function ssmDocumentContentErrors(properties: unknown): string[] {
  if (!isObject(properties) || properties.DocumentType !== 'Automation') return [];
  const content = properties.Content;
  if (isObject(content) && intrinsicName(content) === undefined) return automationErrors(content, 'Properties/Content');
  const format = properties.DocumentFormat ?? 'JSON';
  if (typeof content === 'string' && format === 'JSON') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(content);
    } catch {
      return ['Properties/Content: DocumentFormat is JSON but Content is not valid JSON'];
    }
    return automationErrors(parsed, 'Properties/Content');
  }
  return []; // YAML text or an intrinsic: not checked offline
}

function resourceErrors(type: unknown, properties: unknown, fixed: Assignment): string[] {
  if (typeof type !== 'string') return [`Type: must be a string, got ${JSON.stringify(type)}`];
  const entry = schemasByType().get(type);
  if (!entry) {
    return [`Type: no schema for resource type '${type}' in test/schemas/ (add it, see test/schemas/README.md)`];
  }
  if (properties !== undefined && !isObject(properties)) return ['Properties: must be an object'];
  entry.validate ??= compile(entry.schema);
  const validate = entry.validate;
  return acrossConditions(properties ?? {}, fixed, (resolved) => {
    const props = resolved ?? {};
    return [
      ...runValidator(validate, props, 'Properties'),
      ...readOnlyErrors(entry.schema, props),
      ...(type === 'AWS::SSM::Document' ? ssmDocumentContentErrors(props) : []),
    ];
  });
}

/**
 * Errors (empty = valid) for one resource's `Properties` against its type's schema. A type with
 * no schema in test/schemas/ is an error. Fn::If branches are all validated (see the top of the
 * file); references to other template entities are not checked here (see validateTemplate).
 */
export function validateResource(type: string, properties: unknown): string[] {
  return resourceErrors(type, properties, new Map());
}

// ---------------------------------------------------------------------------------------------
// Templates

export interface CfnResource {
  Type: string;
  Properties?: unknown;
  DependsOn?: unknown;
  Condition?: unknown;
  [key: string]: unknown;
}

export interface CfnTemplate {
  Resources: Record<string, CfnResource>;
  Parameters?: Record<string, unknown>;
  Conditions?: Record<string, unknown>;
  Mappings?: Record<string, unknown>;
  Outputs?: Record<string, unknown>;
  [key: string]: unknown;
}

interface Scope {
  readonly resources: ReadonlySet<string>;
  readonly parameters: ReadonlySet<string>;
  readonly conditions: ReadonlySet<string>;
  readonly mappings: ReadonlySet<string>;
  /** In the Conditions section only parameters and pseudo parameters may be referenced. */
  readonly inConditions: boolean;
}

function keysOf(section: unknown): Set<string> {
  return new Set(isObject(section) ? Object.keys(section) : []);
}

function referenceErrors(value: unknown, where: string, scope: Scope, out: string[]): void {
  if (Array.isArray(value)) {
    value.forEach((item, i) => referenceErrors(item, `${where}/${i}`, scope, out));
    return;
  }
  if (!isObject(value)) return;
  const fn = intrinsicName(value);
  const at = `${where}/${fn ?? ''}`;
  const refTarget = (name: string): boolean =>
    PSEUDO_PARAMETERS.has(name) || scope.parameters.has(name) || (!scope.inConditions && scope.resources.has(name));
  const missing = scope.inConditions ? 'parameter or pseudo parameter' : 'resource, parameter or pseudo parameter';
  const arg = fn === undefined ? undefined : value[fn];

  if (fn === 'Ref') {
    if (typeof arg !== 'string') out.push(`${at}: Ref takes a logical id string, got ${JSON.stringify(arg)}`);
    else if (!refTarget(arg)) out.push(`${at}: Ref to '${arg}', which is no ${missing}`);
  } else if (fn === 'Fn::GetAtt') {
    const target = typeof arg === 'string' ? arg.split('.')[0] : Array.isArray(arg) && arg.length === 2 ? arg[0] : undefined;
    if (scope.inConditions) out.push(`${at}: Fn::GetAtt cannot be used in Conditions`);
    else if (typeof target !== 'string' || (typeof arg === 'string' && !arg.includes('.'))) {
      out.push(`${at}: Fn::GetAtt takes [logicalId, attribute] or "logicalId.attribute", got ${JSON.stringify(arg)}`);
    } else if (!scope.resources.has(target)) out.push(`${at}: Fn::GetAtt of '${target}', which is no resource`);
  } else if (fn === 'Fn::Sub') {
    const [text, variables] = typeof arg === 'string' ? [arg, {}] : Array.isArray(arg) && arg.length === 2 ? arg : [undefined, undefined];
    if (typeof text !== 'string' || !isObject(variables)) {
      out.push(`${at}: Fn::Sub takes a string or [string, {variables}], got ${JSON.stringify(arg)}`);
    } else {
      for (const match of text.matchAll(/\$\{([^}]*)\}/g)) {
        const name = match[1].trim();
        if (match[1].startsWith('!') || name in variables) continue;
        const dot = name.indexOf('.');
        if (dot > 0) {
          if (scope.inConditions || !scope.resources.has(name.slice(0, dot))) {
            out.push(`${at}: \${${name}} names '${name.slice(0, dot)}', which is no resource`);
          }
        } else if (!refTarget(name)) {
          out.push(`${at}: \${${name}} is no variable of this Fn::Sub and no ${missing}`);
        }
      }
    }
  } else if (fn === 'Fn::If') {
    if (!Array.isArray(arg) || arg.length !== 3 || typeof arg[0] !== 'string') {
      out.push(`${at}: Fn::If takes [condition, valueIfTrue, valueIfFalse], got ${JSON.stringify(arg)}`);
    } else if (!scope.conditions.has(arg[0])) out.push(`${at}: condition '${arg[0]}' is not defined in Conditions`);
  } else if (fn === 'Fn::FindInMap') {
    if (Array.isArray(arg) && typeof arg[0] === 'string' && !scope.mappings.has(arg[0])) {
      out.push(`${at}: mapping '${arg[0]}' is not defined in Mappings`);
    }
  } else if (scope.inConditions && Object.keys(value).length === 1 && typeof value.Condition === 'string') {
    if (!scope.conditions.has(value.Condition)) out.push(`${where}/Condition: condition '${value.Condition}' is not defined`);
  }
  for (const [key, child] of Object.entries(value)) referenceErrors(child, `${where}/${key}`, scope, out);
}

const LOGICAL_ID = /^[A-Za-z0-9]+$/;

/**
 * Errors (empty = valid) for a whole template: each resource's Properties against its schema
 * (errors prefixed with the logical id), the Content of AWS::SSM::Document Automation
 * documents, and that every DependsOn, Condition, Ref, Fn::GetAtt, Fn::Sub, Fn::If and
 * Fn::FindInMap reference names something that exists.
 */
export function validateTemplate(template: CfnTemplate): string[] {
  if (!isObject(template) || !isObject(template.Resources)) return ['Resources: the template must have a Resources object'];
  const scope: Scope = {
    resources: keysOf(template.Resources),
    parameters: keysOf(template.Parameters),
    conditions: keysOf(template.Conditions),
    mappings: keysOf(template.Mappings),
    inConditions: false,
  };
  const errors: string[] = [];
  const conditionRef = (condition: unknown, where: string): void => {
    if (condition === undefined) return;
    if (typeof condition !== 'string') errors.push(`${where}: Condition must be a string`);
    else if (!scope.conditions.has(condition)) errors.push(`${where}: Condition '${condition}' is not defined in Conditions`);
  };

  for (const [id, resource] of Object.entries(template.Resources)) {
    if (!LOGICAL_ID.test(id)) errors.push(`${id}: logical ids must be alphanumeric`);
    if (!isObject(resource)) {
      errors.push(`${id}: must be an object`);
      continue;
    }
    const fixed: Assignment = new Map(typeof resource.Condition === 'string' ? [[resource.Condition, true]] : []);
    errors.push(...resourceErrors(resource.Type, resource.Properties, fixed).map((e) => `${id}: ${e}`));

    const dependsOn = resource.DependsOn === undefined ? [] : Array.isArray(resource.DependsOn) ? resource.DependsOn : [resource.DependsOn];
    for (const target of dependsOn) {
      if (typeof target !== 'string') errors.push(`${id}: DependsOn entries must be logical id strings`);
      else if (target === id) errors.push(`${id}: DependsOn names the resource itself`);
      else if (!scope.resources.has(target)) errors.push(`${id}: DependsOn '${target}', which is no resource`);
    }
    conditionRef(resource.Condition, id);

    const refs: string[] = [];
    for (const [key, child] of Object.entries(resource)) {
      if (key !== 'Type' && key !== 'DependsOn' && key !== 'Condition') referenceErrors(child, key, scope, refs);
    }
    errors.push(...refs.map((e) => `${id}: ${e}`));
  }

  const sectionRefs = (section: string, inConditions: boolean): void => {
    const entries = template[section];
    if (!isObject(entries)) return;
    const refs: string[] = [];
    for (const [name, entry] of Object.entries(entries)) {
      if (section === 'Outputs' && isObject(entry)) {
        conditionRef(entry.Condition, `Outputs/${name}`);
        const rest = { ...entry };
        delete rest.Condition; // a condition name, checked above, not an intrinsic
        referenceErrors(rest, `${section}/${name}`, { ...scope, inConditions }, refs);
      } else {
        referenceErrors(entry, `${section}/${name}`, { ...scope, inConditions }, refs);
      }
    }
    errors.push(...refs);
  };
  sectionRefs('Conditions', true);
  sectionRefs('Outputs', false);
  return errors;
}
