import { expect } from 'chai';
import sinon from 'sinon';
import { CubicRateLimiter } from '../../src/config/CubicRateLimiter';

const THROTTLE = { errorType: 'THROTTLING' };
const SUCCESS = {};

/** A limiter on a clock the test moves. */
function limiter() {
  const clock = { now: 1000 };
  return { clock, limiter: new CubicRateLimiter({ now: () => clock.now }) };
}

/** `count` successful responses spread evenly over `seconds`. */
function respond(subject: ReturnType<typeof limiter>, count: number, seconds: number): void {
  for (let index = 0; index < count; index += 1) {
    subject.clock.now += seconds / count;
    subject.limiter.updateClientSendingRate(SUCCESS);
  }
}

describe('CubicRateLimiter', () => {
  it('does not limit before the first throttle', async () => {
    const subject = limiter();
    respond(subject, 500, 1);
    expect(subject.limiter.rate).to.equal(undefined);
    await subject.limiter.getSendToken();
  });

  it('backs off to 0.7 of the rate it measured over the last second', () => {
    // Prepare: 100 responses a second for two seconds
    const subject = limiter();
    respond(subject, 200, 2);

    // Act
    subject.limiter.updateClientSendingRate(THROTTLE);

    // Assess
    expect(subject.limiter.rate).to.be.closeTo(0.7 * 101, 2);
  });

  it('backs off from the rate really sent when the first throttle comes within milliseconds', () => {
    // 10 responses within 5 ms: the SDK's DefaultRateLimiter would measure 0 and drop to 0.5/s
    const subject = limiter();
    respond(subject, 10, 0.005);

    subject.limiter.updateClientSendingRate(THROTTLE);

    expect(subject.limiter.rate).to.be.greaterThan(100);
  });

  it('backs off from the rate the service accepted: throttled answers, which come back at once, are not counted', () => {
    // 10 accepted responses over a second, then 50 throttled answers within 10 ms
    const subject = limiter();
    respond(subject, 10, 1);
    subject.clock.now += 0.01;

    for (let index = 0; index < 50; index += 1) subject.limiter.updateClientSendingRate(THROTTLE);

    expect(subject.limiter.rate).to.be.within(0.7 * 10 * 0.9, 0.7 * 10 * 1.2);
  });

  it('cuts the rate once for a round of throttles, not once per throttled call', () => {
    const subject = limiter();
    respond(subject, 100, 1);
    subject.limiter.updateClientSendingRate(THROTTLE);
    const afterFirst = subject.limiter.rate!;

    for (let index = 0; index < 30; index += 1) {
      subject.clock.now += 0.001;
      subject.limiter.updateClientSendingRate(THROTTLE);
    }

    expect(subject.limiter.rate).to.be.closeTo(afterFirst, afterFirst * 0.05);
  });

  it('cuts again for a throttle after the cooldown', () => {
    const subject = limiter();
    respond(subject, 100, 1);
    subject.limiter.updateClientSendingRate(THROTTLE);
    respond(subject, 60, 0.6);

    subject.limiter.updateClientSendingRate(THROTTLE);

    expect(subject.limiter.rate).to.be.lessThan(0.7 * 101 * 0.9);
  });

  it('grows back to the rate of the last throttle within the cubic time window', () => {
    const subject = limiter();
    respond(subject, 100, 1);
    subject.limiter.updateClientSendingRate(THROTTLE);

    respond(subject, 400, 4.3);

    expect(subject.limiter.rate).to.be.within(95, 110);
  });

  it('makes callers wait for tokens once limiting, at the limited rate', async () => {
    // Prepare: on a fake clock (the limiter's default clock is performance.now), limiting after a throttle
    const clock = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    try {
      const subject = new CubicRateLimiter();
      for (let index = 0; index < 20; index += 1) subject.updateClientSendingRate(SUCCESS);
      subject.updateClientSendingRate(THROTTLE);
      const rate = subject.rate!;

      // Act: five tokens, the bucket empty
      let taken = 0;
      const taking = (async () => {
        for (let index = 0; index < 5; index += 1) {
          await subject.getSendToken();
          taken += 1;
        }
      })();
      await clock.tickAsync(Math.floor((1000 * 4) / rate));
      const takenWithinFourIntervals = taken;
      await clock.tickAsync(Math.ceil(1000 / rate) + 5);
      const takenWithinFiveIntervals = taken;
      await taking;

      // Assess: a token each 1/rate seconds (in whole milliseconds, rounded up), not at once
      expect(takenWithinFourIntervals).to.be.within(3, 4);
      expect(takenWithinFiveIntervals).to.equal(5);
    } finally {
      clock.restore();
    }
  });

  it('returns to full speed after 30 s without a throttle (a warm container after a throttled sweep)', async () => {
    // Prepare: throttled, then nothing for 30.5 s
    const subject = limiter();
    respond(subject, 100, 1);
    subject.limiter.updateClientSendingRate(THROTTLE);
    expect(subject.limiter.rate).to.be.a('number');
    subject.clock.now += 30.5;

    // Act
    await subject.limiter.getSendToken();

    // Assess: not limiting, and the next throttle measures the rate afresh
    expect(subject.limiter.rate).to.equal(undefined);
    respond(subject, 20, 1);
    subject.limiter.updateClientSendingRate(THROTTLE);
    expect(subject.limiter.rate).to.be.closeTo(0.7 * 21, 1);
  });

  it('keeps limiting while throttles keep coming, however long the run', () => {
    const subject = limiter();
    respond(subject, 100, 1);
    for (let round = 0; round < 20; round += 1) {
      respond(subject, 50, 5);
      subject.limiter.updateClientSendingRate(THROTTLE);
    }

    expect(subject.limiter.rate).to.be.a('number');
  });

  it('takes its quiet period from quietSeconds', () => {
    const clock = { now: 1000 };
    const subject = { clock, limiter: new CubicRateLimiter({ now: () => clock.now, quietSeconds: 5 }) };
    respond(subject, 100, 1);
    subject.limiter.updateClientSendingRate(THROTTLE);

    clock.now += 4;
    const during = subject.limiter.rate;
    clock.now += 2;

    expect(during).to.be.a('number');
    expect(subject.limiter.rate).to.equal(undefined);
  });
});
