import { expect } from 'chai';
import { matchesEventPattern } from '../../tools/eventBridgePattern';

// The subset of EventBridge's pattern matching the notification test relies on, on AWS's own
// examples of how values, nesting, arrays and $or match.
// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html

describe('matchesEventPattern', () => {
  const event = { source: 'aws.config', detail: { state: 'on', tags: ['a', 'b'], count: 2, nothing: null } };
  const cases: [string, Record<string, unknown>, boolean][] = [
    ['one of the values', { source: ['aws.ec2', 'aws.config'] }, true],
    ['none of the values', { source: ['aws.ec2'] }, false],
    ['a nested value', { detail: { state: ['on'] } }, true],
    ['a field the event lacks', { detail: { missing: ['on'] } }, false],
    ['an object the event lacks', { other: { state: ['on'] } }, false],
    ['any element of an array value', { detail: { tags: ['b'] } }, true],
    ['a number by its value, not its text', { detail: { count: ['2'] } }, false],
    ['null', { detail: { nothing: [null] } }, true],
    ['every field (AND)', { source: ['aws.config'], detail: { state: ['off'] } }, false],
    ['either side of $or', { detail: { $or: [{ state: ['off'] }, { tags: ['a'] }] } }, true],
    ['neither side of $or', { detail: { $or: [{ state: ['off'] }, { tags: ['z'] }] } }, false],
  ];
  for (const [what, pattern, matches] of cases) {
    it(`${matches ? 'matches' : 'does not match'} ${what}`, () => {
      expect(matchesEventPattern(pattern, event)).to.equal(matches);
    });
  }

  it('refuses a matcher outside its subset rather than guessing', () => {
    expect(() => matchesEventPattern({ source: [{ prefix: 'aws.' }] }, event)).to.throw(/outside the subset/);
    expect(() => matchesEventPattern({ source: 'aws.config' }, event)).to.throw(/expected an array of values/);
  });
});
