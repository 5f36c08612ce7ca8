import { expect } from 'chai';
import { InvalidParameterError, AwsCallError } from '../../src/config/errors';
import { PARAMETER_NAMES, parseAccessKeyRuleParameters } from '../../src/iam-user-single-access-key/parameters';
import { RUNTIME_PARAMETERS } from '../../src/options/runtimeOptions';
import { toCsv } from '../../src/cli/csv';
import { describeError } from '../../src/cli/describeError';
import { formatDuration, sweepFigures } from '../../src/cli/progress';
import { flagError, kebabCase, RULE_FLAGS, ruleInputParameters } from '../../src/cli/ruleFlags';
import { isRuleInstance } from '../../src/cli/summary';
import { readAhead } from '../../src/cli/sweepUsers';
import type { IamUser } from '../../src/iam-user-single-access-key/IamAccessKeys';

// The CLI's pure parts: flags derived from the rule's parameters, CSV quoting, progress figures,
// rule-name matching in an aggregator, the listing read ahead, one-line errors.

describe('CLI rule flags', () => {
  it("derives one kebab-case flag from each rule parameter except the runtime's own (execution role, recordUnchanged)", () => {
    // Act
    const flags = RULE_FLAGS.map((flag) => flag.flag);

    // Assess
    expect(flags).to.deep.equal([
      '--max-access-keys',
      '--count-inactive-keys',
      '--exempt-user-names',
      '--exempt-tag',
      '--rotation-grace-hours',
    ]);
    expect(RULE_FLAGS.map((flag) => flag.parameter)).to.deep.equal(PARAMETER_NAMES);
    expect(RUNTIME_PARAMETERS.filter((name) => PARAMETER_NAMES.includes(name))).to.deep.equal([]);
  });

  for (const [name, kebab] of [
    ['maxAccessKeys', 'max-access-keys'],
    ['exemptTag', 'exempt-tag'],
    ['x', 'x'],
  ] as const) {
    it(`turns ${name} into ${kebab}`, () => {
      expect(kebabCase(name)).to.equal(kebab);
    });
  }

  it('passes the flags given to the rule as strings, a bare flag as "true", and leaves out the others', () => {
    // Act
    const raw = ruleInputParameters({ maxAccessKeys: '2', countInactiveKeys: true, format: 'json', exemptTag: undefined });

    // Assess
    expect(raw).to.deep.equal({ maxAccessKeys: '2', countInactiveKeys: 'true' });
    expect(parseAccessKeyRuleParameters(raw)).to.include({ maxAccessKeys: 2, countInactiveKeys: true });
  });

  it("names the flag, not the rule parameter, in the rule's validation error", () => {
    // Prepare
    const error = new InvalidParameterError('rotationGraceHours', 'expected a whole number of at least 0, got "-1"');

    // Act
    const usage = flagError(error);

    // Assess
    expect(usage.message).to.equal('option \'--rotation-grace-hours\': expected a whole number of at least 0, got "-1"');
  });
});

describe('CLI CSV', () => {
  it('quotes fields holding commas, quotes or line breaks and doubles their quotes (RFC 4180)', () => {
    // Act
    const csv = toCsv(
      ['a', 'b', 'c'],
      [
        ['plain', 'x,y', 'say "hi"'],
        ['line\nbreak', 3, null],
      ],
    );

    // Assess
    expect(csv).to.equal('a,b,c\nplain,"x,y","say ""hi"""\n"line\nbreak",3,\n');
  });
});

describe('CLI progress figures', () => {
  const cases: { name: string; args: Parameters<typeof sweepFigures>; expected: ReturnType<typeof sweepFigures> }[] = [
    {
      name: 'no time left while ListUsers is still paging',
      args: [10, 1000, false, 2000],
      expected: { done: '10/1000+', rate: '5.0/s', left: '?' },
    },
    {
      name: 'the time left at the rate so far once the total is known',
      args: [100, 1100, true, 10_000],
      expected: { done: '100/1100', rate: '10.0/s', left: '1m40s' },
    },
    {
      name: 'no time left before the first user is judged',
      args: [0, 50, true, 500],
      expected: { done: '0/50', rate: '0.0/s', left: '?' },
    },
  ];
  for (const { name, args, expected } of cases) {
    it(`shows ${name}`, () => {
      expect(sweepFigures(...args)).to.deep.equal(expected);
    });
  }

  for (const [ms, text] of [
    [0, '0s'],
    [59_400, '59s'],
    [185_000, '3m05s'],
    [3_720_000, '1h02m'],
  ] as const) {
    it(`formats ${ms} ms as ${text}`, () => {
      expect(formatDuration(ms)).to.equal(text);
    });
  }
});

describe('CLI summary rule matching', () => {
  const cases: [string, string, boolean][] = [
    ['iam-user-single-access-key', 'iam-user-single-access-key', true],
    ['OrgConfigRule-iam-user-single-access-key-h1kq5qbr', 'iam-user-single-access-key', true],
    ['OrgConfigRule-iam-user-single-access-key-extra-k2j4x9zq', 'iam-user-single-access-key', false],
    ['OrgConfigRule-iam-user-single-access-key-', 'iam-user-single-access-key', false],
    ['iam-user-single-access-key-dev', 'iam-user-single-access-key', false],
    ['OrgConfigRule-iam-user-single-access-key-extra-k2j4x9zq', 'iam-user-single-access-key-extra', true],
  ];
  for (const [name, rule, expected] of cases) {
    it(`${expected ? 'counts' : 'ignores'} ${name} for rule ${rule}`, () => {
      expect(isRuleInstance(name, rule)).to.equal(expected);
    });
  }
});

describe('CLI listing read ahead', () => {
  const user = (index: number): IamUser => ({ userName: `u${index}`, userId: `AIDA${index}` });

  it('hands on every user in order and reports each listed and the end of the listing', async () => {
    // Prepare
    async function* source() {
      for (let index = 0; index < 5; index += 1) yield user(index);
    }
    const events: string[] = [];

    // Act
    const seen: string[] = [];
    for await (const listed of readAhead(source(), { listed: () => events.push('listed'), listingDone: () => events.push('done') }))
      seen.push(listed.userName);

    // Assess
    expect(seen).to.deep.equal(['u0', 'u1', 'u2', 'u3', 'u4']);
    expect(events).to.deep.equal(['listed', 'listed', 'listed', 'listed', 'listed', 'done']);
  });

  it('throws the listing failure after the users listed before it, and never reports the listing done', async () => {
    // Prepare
    async function* source() {
      yield user(0);
      throw new Error('ListUsers failed');
    }
    let done = false;

    // Act
    const seen: string[] = [];
    const error = await (async () => {
      for await (const listed of readAhead(source(), { listed() {}, listingDone: () => (done = true) })) seen.push(listed.userName);
    })().then(
      () => undefined,
      (failure: Error) => failure,
    );

    // Assess
    expect(seen).to.deep.equal(['u0']);
    expect(error?.message).to.equal('ListUsers failed');
    expect(done).to.equal(false);
  });
});

describe('CLI one-line errors', () => {
  it('names the API, the resource and the account of a failed call, on one line', () => {
    // Prepare
    const cause = Object.assign(new Error('User: x\nis not authorized'), { name: 'AccessDenied' });

    // Act
    const line = describeError(new AwsCallError('iam:ListAccessKeys', 'IAM user bob', { cause }), { accountId: '123456789012' });

    // Assess
    expect(line).to.equal(
      'error: iam:ListAccessKeys failed for IAM user bob in account 123456789012: AccessDenied: User: x is not authorized',
    );
  });

  it('tells a person to pass --region when the SDK finds none', () => {
    // Act
    const line = describeError(
      new AwsCallError('sts:GetCallerIdentity', 'the credentials in use', { cause: new Error('Region is missing') }),
    );

    // Assess
    expect(line).to.equal(
      'error: sts:GetCallerIdentity failed for the credentials in use: Error: Region is missing (pass --region or set AWS_REGION)',
    );
  });
});
