import { expect } from 'chai';
import { InvalidParameterError } from '../../src/config/errors';
import { parameterSet, type RuleParameters, ruleParametersOf } from '../../src/config/ruleParameters';
import { splitRuntimeParameters } from '../../src/config/runtimeParameters';
import { option } from '../../src/options/Option';
import { flag, oneOf, setOf, wholeNumber } from '../../src/options/OptionKind';
import { RUNTIME_PARAMETER_OPTIONS } from '../../src/options/runtimeOptions';

// A rule's parameters derived from its option definitions alone: a new parameter is one more
// definition, with no parser, type or default written for it anywhere else.

/** A stub rule's options: its parameters, a deploy-only option, and the runtime's own. */
const STUB_OPTIONS = {
  limit: option({ kind: wholeNumber(1, 10), use: 'both', section: 'rule', default: '3', doc: 'limit' }),
  strict: option({ kind: flag, use: 'rule parameter', section: 'rule', default: 'false', doc: 'strict' }),
  names: option({ kind: setOf(oneOf(['a', 'b'] as const)), use: 'rule parameter', section: 'rule', default: '', doc: 'names' }),
  label: option({ kind: oneOf(['x', 'y'] as const), use: 'rule parameter', section: 'rule', default: '', doc: 'label' }),
  memory: option({ kind: wholeNumber(128, 512), use: 'deploy', section: 'deployment', default: '256', doc: 'memory' }),
  ...RUNTIME_PARAMETER_OPTIONS,
};

const STUB = ruleParametersOf(STUB_OPTIONS);

describe('ruleParametersOf (a rule parameter set derived from option definitions)', () => {
  it("names the rule's own parameters only: not deploy-only options, not the runtime's", () => {
    expect(STUB.names).to.deep.equal(['limit', 'strict', 'names', 'label']);
  });

  it('takes each default from its definition; a list defaults to empty, a parameter without a default is absent', () => {
    const expected: RuleParameters<typeof STUB_OPTIONS> = { limit: 3, strict: false, names: new Set() };
    expect(STUB.defaults).to.deep.equal(expected);
    expect(STUB.parse({})).to.deep.equal(expected);
  });

  it('parses each given value by its kind, an empty one as the default', () => {
    expect(STUB.parse({ limit: '7', strict: 'TRUE', names: 'b, a,b', label: 'y' })).to.deep.equal({
      limit: 7,
      strict: true,
      names: new Set(['b', 'a']),
      label: 'y',
    });
    expect(STUB.parse({ limit: ' ', label: '' })).to.deep.equal(STUB.defaults);
  });

  it('hands out a fresh list each time, so that no parse shares one with the defaults', () => {
    expect(STUB.parse({}).names).not.to.equal(STUB.defaults.names);
  });

  const invalid: [string, Record<string, string>, string][] = [
    ['an unknown name', { limt: '2' }, 'Invalid rule parameter "limt": unknown parameter; the rule takes limit, strict, names, label'],
    [
      'a deploy-only option',
      { memory: '256' },
      'Invalid rule parameter "memory": unknown parameter; the rule takes limit, strict, names, label',
    ],
    ["one of the runtime's own", { recordUnchanged: 'true' }, 'Invalid rule parameter "recordUnchanged": unknown parameter'],
    ['a malformed value', { limit: '11' }, 'Invalid rule parameter "limit": expected a whole number from 1 to 10, got "11"'],
    ['a malformed list item', { names: 'a,c' }, 'Invalid rule parameter "names": expected one of a, b, got "c"'],
  ];
  for (const [what, raw, message] of invalid) {
    it(`refuses ${what}, naming the parameter`, () => {
      expect(() => STUB.parse(raw)).to.throw(InvalidParameterError, message);
    });
  }
});

describe("the runtime's own parameters", () => {
  it('are taken out of InputParameters and parsed by their definitions; the rest is left as text for the rule', () => {
    // Act
    const { runtime, rule } = splitRuntimeParameters({ executionRoleName: 'Reader', recordUnchanged: 'TRUE', limit: '2' });

    // Assess
    expect(runtime).to.deep.equal({ executionRoleName: 'Reader', recordUnchanged: true });
    expect(rule).to.deep.equal({ limit: '2' });
  });

  it('default to no execution role and recording only what changed', () => {
    expect(splitRuntimeParameters({}).runtime).to.deep.equal(parameterSet(RUNTIME_PARAMETER_OPTIONS).defaults);
    expect(splitRuntimeParameters({}).runtime).to.deep.equal({ recordUnchanged: false });
  });

  it('refuse a malformed value, naming the parameter', () => {
    expect(() => splitRuntimeParameters({ executionRoleName: 'role/with/slashes' })).to.throw(
      InvalidParameterError,
      'Invalid rule parameter "executionRoleName": "role/with/slashes" is not an IAM role name',
    );
  });
});
