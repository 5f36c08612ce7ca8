import { expect } from 'chai';
import { forEachConcurrently } from '../../src/config/forEachConcurrently';

async function* numbers(count: number): AsyncIterable<number> {
  for (let index = 0; index < count; index += 1) yield index;
}
/** A turn of the event loop: the handlers interleave as calls in flight do, with no real time spent. */
const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('forEachConcurrently', () => {
  it('handles every item with at most `limit` running at once', async () => {
    let running = 0;
    let peak = 0;
    const seen: number[] = [];

    const outcome = await forEachConcurrently(numbers(50), 7, async (item) => {
      running += 1;
      peak = Math.max(peak, running);
      await tick();
      seen.push(item);
      running -= 1;
    });

    expect(outcome).to.deep.equal({ completed: true, handled: 50 });
    expect(peak).to.equal(7);
    expect([...seen].sort((a, b) => a - b)).to.deep.equal([...Array(50).keys()]);
  });

  it('stops taking items when told to, finishing those started, and says it did not complete', async () => {
    let handled = 0;
    const outcome = await forEachConcurrently(
      numbers(100),
      4,
      async () => {
        await tick();
        handled += 1;
      },
      () => handled >= 10,
    );
    expect(outcome.completed).to.equal(false);
    expect(outcome.handled).to.equal(handled);
    expect(handled).to.be.within(10, 13);
  });

  it('throws the first failure after the items already started have finished', async () => {
    const finished: number[] = [];
    const error = await forEachConcurrently(numbers(100), 3, async (item) => {
      await tick();
      if (item === 5) throw new Error('item 5 failed');
      finished.push(item);
    }).then(
      () => undefined,
      (caught: Error) => caught,
    );

    expect(error?.message).to.equal('item 5 failed');
    expect(finished).to.include.members([0, 1, 2, 3, 4, 6, 7]);
    expect(finished.length).to.be.lessThan(12);
  });

  it('throws when the source itself fails', async () => {
    async function* failing(): AsyncIterable<number> {
      yield 1;
      throw new Error('ListUsers failed');
    }
    const error = await forEachConcurrently(failing(), 2, async () => undefined).then(
      () => undefined,
      (caught: Error) => caught,
    );
    expect(error?.message).to.equal('ListUsers failed');
  });
});
