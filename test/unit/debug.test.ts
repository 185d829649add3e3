import { expect } from '@open-wc/testing';
import { isDebugEnabled } from '../../src/debug.js';

describe('debug patterns', () => {
  const table: Array<[patterns: string, namespace: string, enabled: boolean]> = [
    ['', 'peerix:peer', false],
    ['*', 'peerix:peer', true],
    ['*', 'other', true],
    ['peerix:*', 'peerix:peer', true],
    ['peerix:*', 'peerix:peer:negotiation', true],
    ['peerix:*', 'peerixx', false],
    ['peerix:*', 'other:peer', false],
    ['peerix:peer:*', 'peerix:peer', true],
    ['peerix:peer:*', 'peerix:peer:ice', true],
    ['peerix:peer:*', 'peerix:driver', false],
    ['-peerix:peer:*', 'peerix:peer:ice', false],
    ['peerix:*,-peerix:peer:*', 'peerix:driver:mqtt', true],
    ['peerix:*,-peerix:peer:*', 'peerix:peer:ice', false],
    ['-peerix:peer:*,peerix:*', 'peerix:peer:ice', false],
    ['peerix:driver peerix:peer', 'peerix:peer', true],
    ['peerix:driver, peerix:peer', 'peerix:driver', true],
    ['peerix:driver', 'peerix:driver:mqtt', false],
    ['peerix:d*:mqtt', 'peerix:driver:mqtt', true],
    ['peerix.*', 'peerixa:x', false],
  ];
  for (const [patterns, namespace, enabled] of table) {
    it(`"${patterns}" ${enabled ? 'selects' : 'does not select'} ${namespace}`, () => {
      expect(isDebugEnabled(namespace, patterns)).to.equal(enabled);
    });
  }
});
