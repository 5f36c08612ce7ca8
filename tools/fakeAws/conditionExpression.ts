/**
 * DynamoDB condition expressions for the fake (PutItem, DeleteItem): the comparators = < <= > >=,
 * attribute_exists, attribute_not_exists, AND, OR, NOT and parentheses, over attribute names
 * given through ExpressionAttributeNames (#name) and values through ExpressionAttributeValues
 * (:value). Anything else DynamoDB accepts (bare attribute names, nested paths, <>, BETWEEN, IN,
 * begins_with, contains, size, attribute_type) is refused with NotImplementedByFakeAws rather than
 * guessed at; what DynamoDB itself refuses (syntax errors, names or values undefined or unused) is
 * refused with its ValidationException.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.OperatorsAndFunctions.html
 */
import { ApiError } from './wire';

/** A DynamoDB AttributeValue as the JSON protocol carries it ({ "S": "…" }, { "N": "12" }, …). */
export type AttributeValue = Record<string, unknown>;

/** An item: attribute name to value. */
export type Item = Record<string, AttributeValue>;

/** A parsed condition. */
export interface Condition {
  /** Whether the condition holds for `item` (undefined: there is no item). */
  holds(item: Item | undefined): boolean;
}

/** A valid expression the fake does not implement. */
export function notImplemented(what: string): ApiError {
  return new ApiError(400, 'NotImplementedByFakeAws', `fakeAws does not implement ${what}`);
}

function validation(message: string): ApiError {
  return new ApiError(400, 'ValidationException', message);
}

interface Token {
  kind: 'name' | 'value' | 'word' | 'comparator' | '(' | ')' | ',' | 'other';
  text: string;
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const pattern = /\s*(?:(#[A-Za-z0-9_]+)|(:[A-Za-z0-9_]+)|([A-Za-z_][A-Za-z0-9_]*)|(<>|<=|>=|=|<|>)|([(),])|(\S))/gy;
  let match: RegExpExecArray | null;
  while (pattern.lastIndex < text.length && (match = pattern.exec(text)) !== null) {
    const [, name, value, word, comparator, punctuation, other] = match;
    if (name) tokens.push({ kind: 'name', text: name });
    else if (value) tokens.push({ kind: 'value', text: value });
    else if (word) tokens.push({ kind: 'word', text: word });
    else if (comparator) tokens.push({ kind: 'comparator', text: comparator });
    else if (punctuation) tokens.push({ kind: punctuation as '(', text: punctuation });
    else if (other) tokens.push({ kind: 'other', text: other });
  }
  return tokens;
}

const KEYWORDS = new Set(['AND', 'OR', 'NOT', 'BETWEEN', 'IN']);
const FUNCTIONS = new Set(['attribute_exists', 'attribute_not_exists', 'attribute_type', 'begins_with', 'contains', 'size']);

type Operand = { kind: 'path'; attribute: string } | { kind: 'value'; value: AttributeValue };

/**
 * Parses `expression` with its names and values as DynamoDB's PutItem and DeleteItem take them;
 * throws ValidationException (or NotImplementedByFakeAws) as described at the top.
 */
export function parseCondition(
  expression: string,
  names: Record<string, string> = {},
  values: Record<string, AttributeValue> = {},
): Condition {
  const tokens = tokenize(expression);
  const usedNames = new Set<string>();
  const usedValues = new Set<string>();
  let position = 0;
  const peek = () => tokens[position];
  const syntaxError = (token: Token | undefined): ApiError =>
    validation(
      `Invalid ConditionExpression: Syntax error; token: "${token?.text ?? '<EOF>'}", near: "${tokens
        .slice(Math.max(0, position - 1), position + 2)
        .map((t) => t.text)
        .join(' ')}"`,
    );
  const isKeyword = (token: Token | undefined, keyword: string) => token?.kind === 'word' && token.text.toUpperCase() === keyword;

  const attributeName = (token: Token): string => {
    if (!Object.hasOwn(names, token.text))
      throw validation(
        `Invalid ConditionExpression: An expression attribute name used in the document path is not defined; attribute name: ${token.text}`,
      );
    usedNames.add(token.text);
    return names[token.text]!;
  };

  const operand = (): Operand => {
    const token = tokens[position++];
    if (token?.kind === 'name') {
      const next = peek();
      if (next?.kind === 'other' && (next.text === '.' || next.text === '['))
        throw notImplemented('nested attribute paths (maps and lists) in ConditionExpression');
      return { kind: 'path', attribute: attributeName(token) };
    }
    if (token?.kind === 'value') {
      if (!Object.hasOwn(values, token.text))
        throw validation(
          `Invalid ConditionExpression: An expression attribute value used in expression is not defined; attribute value: ${token.text}`,
        );
      usedValues.add(token.text);
      return { kind: 'value', value: values[token.text]! };
    }
    if (token?.kind === 'word' && !KEYWORDS.has(token.text.toUpperCase()) && !FUNCTIONS.has(token.text)) {
      throw notImplemented(
        `the bare attribute name ${token.text} in ConditionExpression (it does not know DynamoDB's reserved words): name it through ExpressionAttributeNames`,
      );
    }
    throw syntaxError(token);
  };

  const primary = (): Condition => {
    const token = peek();
    if (token?.kind === '(') {
      position += 1;
      const inner = or();
      if (peek()?.kind !== ')') throw syntaxError(peek());
      position += 1;
      return inner;
    }
    if (token?.kind === 'word' && FUNCTIONS.has(token.text) && tokens[position + 1]?.kind === '(') {
      if (token.text !== 'attribute_exists' && token.text !== 'attribute_not_exists')
        throw notImplemented(`the function ${token.text} in ConditionExpression`);
      position += 2;
      const path = peek();
      if (path?.kind === 'value')
        throw validation(
          `Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: ${token.text}, operand type: ${Object.keys(values[path.text] ?? {})[0] ?? 'unknown'}`,
        );
      const target = operand();
      if (target.kind !== 'path') throw syntaxError(path);
      const attribute = target.attribute;
      if (peek()?.kind !== ')') throw syntaxError(peek());
      position += 1;
      const exists = token.text === 'attribute_exists';
      return { holds: (item) => (item !== undefined && Object.hasOwn(item, attribute)) === exists };
    }
    const left = operand();
    const comparator = peek();
    if (isKeyword(comparator, 'BETWEEN') || isKeyword(comparator, 'IN'))
      throw notImplemented(`${comparator!.text.toUpperCase()} in ConditionExpression`);
    if (comparator?.kind !== 'comparator') throw syntaxError(comparator);
    if (comparator.text === '<>') throw notImplemented('<> in ConditionExpression');
    position += 1;
    const right = operand();
    return { holds: (item) => compareWith(comparator.text, resolve(left, item), resolve(right, item)) };
  };

  const not = (): Condition => {
    if (!isKeyword(peek(), 'NOT')) return primary();
    position += 1;
    const inner = not();
    return { holds: (item) => !inner.holds(item) };
  };

  const and = (): Condition => {
    let left = not();
    while (isKeyword(peek(), 'AND')) {
      position += 1;
      const [first, second] = [left, not()];
      left = { holds: (item) => first.holds(item) && second.holds(item) };
    }
    return left;
  };

  function or(): Condition {
    let left = and();
    while (isKeyword(peek(), 'OR')) {
      position += 1;
      const [first, second] = [left, and()];
      left = { holds: (item) => first.holds(item) || second.holds(item) };
    }
    return left;
  }

  if (tokens.length === 0) throw validation('Invalid ConditionExpression: The expression can not be empty;');
  const condition = or();
  if (position < tokens.length) throw syntaxError(peek());
  const unusedNames = Object.keys(names).filter((name) => !usedNames.has(name));
  if (unusedNames.length > 0)
    throw validation(`Value provided in ExpressionAttributeNames unused in expressions: keys: {${unusedNames.join(', ')}}`);
  const unusedValues = Object.keys(values).filter((value) => !usedValues.has(value));
  if (unusedValues.length > 0)
    throw validation(`Value provided in ExpressionAttributeValues unused in expressions: keys: {${unusedValues.join(', ')}}`);
  return condition;
}

function resolve(operand: Operand, item: Item | undefined): AttributeValue | undefined {
  return operand.kind === 'value' ? operand.value : item?.[operand.attribute];
}

/**
 * A comparison as DynamoDB makes it: false when either side is missing, and false between values
 * of different types ("{"S":"6"} does not equal {"N":"6"}"; "{"N":"6"} does not compare to
 * {"NS":["6","2","1"]}", API_Condition). Strings compare by their UTF-8 bytes, numbers by value,
 * binary by bytes.
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Condition.html
 */
function compareWith(comparator: string, left: AttributeValue | undefined, right: AttributeValue | undefined): boolean {
  if (left === undefined || right === undefined) return false;
  const [leftType] = Object.keys(left);
  const [rightType] = Object.keys(right);
  if (leftType !== rightType) return false;
  const order = compareScalars(leftType!, left[leftType!], right[rightType!]);
  if (order === undefined) {
    if (comparator !== '=') return false;
    if (leftType === 'BOOL' || leftType === 'NULL') return left[leftType] === right[rightType!];
    throw notImplemented(`= between ${leftType} values in ConditionExpression`);
  }
  switch (comparator) {
    case '=':
      return order === 0;
    case '<':
      return order < 0;
    case '<=':
      return order <= 0;
    case '>':
      return order > 0;
    default:
      return order >= 0;
  }
}

function compareScalars(type: string, left: unknown, right: unknown): number | undefined {
  if (type === 'S') return Buffer.compare(Buffer.from(String(left), 'utf8'), Buffer.from(String(right), 'utf8'));
  if (type === 'B') return Buffer.compare(Buffer.from(String(left), 'base64'), Buffer.from(String(right), 'base64'));
  if (type === 'N') return compareNumbers(String(left), String(right));
  return undefined;
}

/** A DynamoDB number (up to 38 digits, exponent -130 to +125) as sign, digits and exponent. */
export function parseNumber(text: string): { digits: bigint; exponent: number } | undefined {
  const match = /^\s*([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?\s*$/.exec(text);
  if (!match || `${match[2]}${match[3] ?? ''}` === '') return undefined;
  const fraction = match[3] ?? '';
  const digits = BigInt(`${match[2]}${fraction}`) * (match[1] === '-' ? -1n : 1n);
  return { digits, exponent: Number(match[4] ?? '0') - fraction.length };
}

function compareNumbers(left: string, right: string): number {
  const a = parseNumber(left);
  const b = parseNumber(right);
  if (!a || !b) throw validation('The parameter cannot be converted to a numeric value');
  const shift = a.exponent - b.exponent;
  const [x, y] = shift >= 0 ? [a.digits * 10n ** BigInt(shift), b.digits] : [a.digits, b.digits * 10n ** BigInt(-shift)];
  return x === y ? 0 : x < y ? -1 : 1;
}
