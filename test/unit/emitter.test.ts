import { expect } from '@open-wc/testing';
import { Emitter } from '../../src/emitter.js';

interface Events {
  'channel:open': { label: string };
  'channel:close': { label: string };
  error: { message: string };
}

class TestEmitter extends Emitter<Events> {
  fire<K extends keyof Events & string>(type: K, payload: Events[K]): void {
    this.emit(type, payload);
  }
}

describe('Emitter', () => {
  it('calls listeners of the event with its type', () => {
    const e = new TestEmitter();
    const seen: string[] = [];
    e.on('channel:open', (p) => seen.push(`${p.type}/${p.label}`));
    e.fire('channel:open', { label: 'chat' });
    expect(seen).to.deep.equal(['channel:open/chat']);
  });

  it('delivers every sub-event to a group listener, after the specific ones', () => {
    const e = new TestEmitter();
    const seen: string[] = [];
    e.on('channel', (p) => seen.push(`group:${p.type}`));
    e.on('channel:close', () => seen.push('specific'));
    e.fire('channel:open', { label: 'a' });
    e.fire('channel:close', { label: 'a' });
    e.fire('error', { message: 'x' });
    expect(seen).to.deep.equal(['group:channel:open', 'specific', 'group:channel:close']);
  });

  it('once fires a single time and off removes', () => {
    const e = new TestEmitter();
    let count = 0;
    const listener = (): void => void count++;
    e.once('error', listener);
    e.fire('error', { message: '1' });
    e.fire('error', { message: '2' });
    expect(count).to.equal(1);
    e.on('error', listener);
    e.off('error', listener);
    e.fire('error', { message: '3' });
    expect(count).to.equal(1);
    expect(e.listenerCount()).to.equal(0);
  });

  it('a throwing listener does not stop the others', async () => {
    const e = new TestEmitter();
    const reported: unknown[] = [];
    const original = window.reportError;
    window.reportError = (err: unknown) => reported.push(err);
    try {
      let reached = false;
      e.on('error', () => {
        throw new Error('boom');
      });
      e.on('error', () => (reached = true));
      e.fire('error', { message: 'x' });
      expect(reached).to.equal(true);
      expect(reported).to.have.length(1);
    } finally {
      window.reportError = original;
    }
  });
});
