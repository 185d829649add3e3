import { expect } from '@open-wc/testing';
import { BroadcastChannelDriver, Driver, MemoryDriver, type DriverMessage } from '../../src/index.js';
import { bytesHandler, fromDriverMessage, messageFor } from '../../src/drivers/driver.js';
import { PubSubDriver, fromJson64 } from '../../src/drivers/pubsub.js';
import { base64urlEncode } from '../../src/signaling/encoding.js';

const tick = () => new Promise((r) => setTimeout(r, 10));

describe('MemoryDriver', () => {
  it('delivers to every subscriber of a namespace and to no other', async () => {
    const driver = new MemoryDriver();
    const got: string[] = [];
    driver.subscribe(['room', 'a'], (m) => got.push(`a1:${m.join()}`));
    driver.subscribe(['room', 'a'], (m) => got.push(`a2:${m.join()}`));
    driver.subscribe(['room', 'b'], (m) => got.push(`b:${m.join()}`));
    driver.subscribe(['room'], (m) => got.push(`room:${m.join()}`));
    driver.publish(['room', 'a'], [1, 2]);
    expect(got).to.deep.equal([]); // delivery is asynchronous, like a real transport
    await tick();
    expect(got.sort()).to.deep.equal(['a1:1,2', 'a2:1,2']);
  });

  it('keeps prefixes apart and hands each subscriber its own copy', async () => {
    const x = new MemoryDriver({ prefix: 'x:' });
    const seen: DriverMessage[] = [];
    x.subscribe(['n'], (m) => { m[0] = 99; seen.push(m); });
    x.subscribe(['n'], (m) => seen.push(m));
    const message = [1];
    x.publish(['n'], message);
    await tick();
    expect(message).to.deep.equal([1]);
    expect(seen.map((m) => m[0]).sort()).to.deep.equal([1, 99]);
    expect(x.prefix).to.equal('x:');
  });

  it('stops delivery on unsubscribe, and destroy() releases everything', async () => {
    const driver = new MemoryDriver();
    let count = 0;
    const handler = (): void => void count++;
    driver.subscribe(['n'], handler);
    driver.publish(['n'], [1]);
    driver.unsubscribe(['n'], handler);
    await tick();
    expect(count).to.equal(0); // unsubscribed before delivery: nothing arrives
    driver.subscribe(['n'], handler);
    driver.subscribe(['m'], handler);
    expect(driver.subscriptionCount).to.equal(2);
    const actives: boolean[] = [];
    driver.on('active', ({ active }) => actives.push(active));
    driver.destroy();
    expect(driver.subscriptionCount).to.equal(0);
    driver.publish(['n'], [1]);
    await tick();
    expect(count).to.equal(0);
    expect(driver.active).to.equal(false);
    expect(actives).to.deep.equal([false]);
  });
});

describe('Driver base', () => {
  it('starts inactive and reports every change of active', () => {
    class Manual extends Driver {
      subscribe(): void {}
      unsubscribe(): void {}
      override publish(): void {}
    }
    const driver = new Manual();
    const changes: boolean[] = [];
    driver.on('active', ({ active }) => changes.push(active));
    driver.active = false;
    expect(driver.active).to.equal(false);
    driver.active = true;
    driver.active = true;
    driver.active = false;
    expect(changes).to.deep.equal([true, false]);
  });

  it('counts a driver that never touches active as ready', () => {
    class Quiet extends Driver {
      subscribe(): void {}
      unsubscribe(): void {}
      override publish(): void {}
    }
    expect(new Quiet().active).to.equal(true);
  });

  it('refuses a driver with neither publish nor dispatch, clearly', () => {
    class Broken extends Driver {
      subscribe(): void {}
      unsubscribe(): void {}
    }
    expect(() => new Broken().publish(['x'], [1])).to.throw(/neither publish\(\) nor dispatch\(\)/);
  });

  it('reads only byte arrays back from a transport', () => {
    expect([...fromDriverMessage([0, 255])]).to.deep.equal([0, 255]);
    expect([...fromDriverMessage(new Uint8Array([7]))]).to.deep.equal([7]);
    for (const bad of [[256], [-1], [1.5], ['1'], 'text', null, 42, { length: 1 }]) {
      expect(() => fromDriverMessage(bad), JSON.stringify(bad)).to.throw().with.property('code', 'ERR_DECODE');
    }
  });
});

describe('bytes through drivers', () => {
  it('hands built-in drivers the Uint8Array itself and custom drivers a plain array (the documented contract)', () => {
    class Custom extends Driver {
      subscribe(): void {}
      unsubscribe(): void {}
      override publish(): void {}
    }
    const bytes = Uint8Array.of(1, 2, 255);
    expect(messageFor(new MemoryDriver(), bytes)).to.equal(bytes);
    const plain = messageFor(new Custom(), bytes);
    expect(Array.isArray(plain)).to.equal(true);
    expect(plain).to.deep.equal([1, 2, 255]);
  });

  it("MemoryDriver hands the engine's handlers bytes and any other handler a plain array, each its own copy", async () => {
    const driver = new MemoryDriver();
    const got: (DriverMessage | Uint8Array)[] = [];
    driver.subscribe(['n'], bytesHandler((m) => got.push(m)));
    driver.subscribe(['n'], (m) => got.push(m));
    const bytes = Uint8Array.of(5, 6);
    driver.publish(['n'], bytes);
    driver.publish(['n'], [7]);
    await tick();
    expect(got.map((m) => (m instanceof Uint8Array ? 'bytes' : Array.isArray(m) ? 'array' : typeof m))).to.deep.equal(['bytes', 'array', 'array', 'array']);
    expect(got[0]).to.not.equal(bytes);
    expect([...got[0]!]).to.deep.equal([5, 6]);
    expect(got.slice(1).map((m) => [...m])).to.deep.equal([[5, 6], [7], [7]]);
  });

  it('PubSubDriver sends bytes over a buffer of their own, checks payloads once and delivers copies', async () => {
    const sent: Uint8Array[] = [];
    class Loopback extends PubSubDriver {
      constructor() {
        super();
        this.ready(true);
      }
      protected topic(namespace: string[]): string {
        return namespace.join('/');
      }
      protected open(): void {}
      protected close(): void {}
      protected send(topic: string, message: Uint8Array): void {
        sent.push(message);
        this.deliver(topic, message);
      }
      receive(topic: string, payload: unknown, read?: (payload: unknown) => Uint8Array): void {
        this.deliver(topic, payload, read);
      }
    }
    const driver = new Loopback();
    const got: Uint8Array[] = [];
    const errors: string[] = [];
    driver.on('error', ({ error }) => errors.push(error.code));
    driver.subscribe(['a', 'b'], bytesHandler((m) => got.push(m as Uint8Array)));
    const plain: unknown[] = [];
    driver.subscribe(['a', 'b'], (m) => plain.push(m));
    const backing = Uint8Array.of(0, 1, 2, 3);
    driver.publish(['a', 'b'], backing.subarray(1, 3));
    driver.publish(['a', 'b'], [9, 8]);
    expect(sent.map((m) => [m.byteOffset, m.buffer.byteLength, ...m])).to.deep.equal([[0, 2, 1, 2], [0, 2, 9, 8]]);
    expect(got.map((m) => [...m])).to.deep.equal([[1, 2], [9, 8]]);
    expect(got[0]).to.not.equal(sent[0]);
    expect(plain).to.deep.equal([[1, 2], [9, 8]]);
    driver.publish(['a', 'b'], [300] as DriverMessage);
    driver.receive('a/b', 'text');
    driver.receive('a/b', { m: base64urlEncode(Uint8Array.of(4, 2)) }, fromJson64);
    driver.receive('a/b', { m: 'AQ==' }, fromJson64); // padded: not base64url
    expect(errors).to.deep.equal(['ERR_DECODE', 'ERR_DECODE', 'ERR_DECODE']);
    expect([...got[2]!]).to.deep.equal([4, 2]);
  });
});

describe('BroadcastChannelDriver (one page)', () => {
  it('delivers to subscribers in the same page too and releases the channel on destroy', async () => {
    const name = `bc-unit-${Math.random()}`;
    const a = new BroadcastChannelDriver(name);
    const b = new BroadcastChannelDriver(name);
    expect(a.active).to.equal(true);
    const got: string[] = [];
    b.subscribe(['n'], (m) => got.push(`b:${m.join()}`));
    a.subscribe(['n'], (m) => got.push(`a:${m.join()}`));
    a.publish(['n'], [3]);
    await new Promise((r) => setTimeout(r, 50));
    expect(got.sort()).to.deep.equal(['a:3', 'b:3']);
    b.destroy();
    expect(b.active).to.equal(false);
    a.publish(['n'], [4]);
    await new Promise((r) => setTimeout(r, 50));
    expect(got.filter((g) => g.startsWith('b:'))).to.deep.equal(['b:3']);
    a.destroy();
  });
});
