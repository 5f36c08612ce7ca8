import { expect } from 'chai';
import { InvalidParameterError } from '../../src/config/errors';
import { DEFAULT_PARAMETERS, parseAccessKeyRuleParameters } from '../../src/iam-user-single-access-key/parameters';

describe('parseAccessKeyRuleParameters', () => {
  it('returns the defaults when there are no parameters', () => {
    expect(parseAccessKeyRuleParameters({})).to.deep.equal(DEFAULT_PARAMETERS);
  });

  it('parses every parameter from its string form', () => {
    const parsed = parseAccessKeyRuleParameters({
      maxAccessKeys: '2',
      countInactiveKeys: 'TRUE',
      exemptUserNames: ' ci-bot , legacy.app@corp ,,',
      exemptTag: 'compliance-exempt=cis-1.13',
      rotationGraceHours: '48',
    });
    expect(parsed).to.deep.equal({
      maxAccessKeys: 2,
      countInactiveKeys: true,
      exemptUserNames: new Set(['ci-bot', 'legacy.app@corp']),
      exemptTag: { key: 'compliance-exempt', value: 'cis-1.13' },
      rotationGraceHours: 48,
    });
  });

  it('takes a tag without "=" as a key with any value, and keeps "=" inside the value', () => {
    expect(parseAccessKeyRuleParameters({ exemptTag: 'break-glass' }).exemptTag).to.deep.equal({ key: 'break-glass' });
    expect(parseAccessKeyRuleParameters({ exemptTag: 'a=b=c' }).exemptTag).to.deep.equal({ key: 'a', value: 'b=c' });
  });

  it('treats an empty value as the default', () => {
    expect(parseAccessKeyRuleParameters({ maxAccessKeys: '', exemptTag: '  ' })).to.deep.equal(DEFAULT_PARAMETERS);
  });

  const invalid: [string, Record<string, string>, RegExp][] = [
    ['an unknown parameter name', { maxAccesKeys: '2' }, /"maxAccesKeys": unknown parameter; the rule takes maxAccessKeys, /],
    ['maxAccessKeys of 0', { maxAccessKeys: '0' }, /"maxAccessKeys".*from 1 to 100, got "0"/],
    ['a fractional maxAccessKeys', { maxAccessKeys: '1.5' }, /"maxAccessKeys"/],
    ['a negative grace', { rotationGraceHours: '-1' }, /"rotationGraceHours".*from 0 to 8760/],
    ['a grace over a year', { rotationGraceHours: '8761' }, /"rotationGraceHours": expected a whole number from 0 to 8760, got "8761"/],
    ['a grace of 2^53-1 hours', { rotationGraceHours: String(Number.MAX_SAFE_INTEGER) }, /"rotationGraceHours"/],
    ['a parameter named __proto__', JSON.parse('{"__proto__": "1"}') as Record<string, string>, /"__proto__": unknown parameter/],
    ['a parameter named like an Object method', { toString: '1' }, /"toString": unknown parameter/],
    ['a deploy-only option', { sweepConcurrency: '4' }, /"sweepConcurrency": unknown parameter/],
    ['a word for a number', { rotationGraceHours: 'two' }, /"rotationGraceHours"/],
    ['an unsafe integer', { maxAccessKeys: '99999999999999999999' }, /"maxAccessKeys"/],
    ['a boolean that is not true/false', { countInactiveKeys: 'yes' }, /"countInactiveKeys".*"true" or "false", got "yes"/],
    ['a user name with a slash', { exemptUserNames: 'ops/alice' }, /"exemptUserNames".*"ops\/alice" is not an IAM user name/],
    ['a tag with an empty key', { exemptTag: '=x' }, /"exemptTag"/],
    ['a tag key over 128 characters', { exemptTag: 'k'.repeat(129) }, /"exemptTag"/],
  ];
  for (const [name, raw, message] of invalid) {
    it(`rejects ${name}, naming the parameter`, () => {
      expect(() => parseAccessKeyRuleParameters(raw)).to.throw(InvalidParameterError, message);
    });
  }
});
