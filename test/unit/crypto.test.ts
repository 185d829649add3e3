import { expect } from '@open-wc/testing';
import { codeOf } from './expect-error.js';
import {
  compressPoint,
  createIdentity,
  decompressPoint,
  publicKeyFromId,
} from '../../src/signaling/crypto.js';
import { PairKeys, createRoomToken, deriveRoomKeys } from '../../src/signaling/keys.js';
import { base64urlEncode } from '../../src/signaling/encoding.js';


const iv = new Uint8Array(12);
const plain = new TextEncoder().encode('hello');

async function encrypt(key: CryptoKey): Promise<Uint8Array<ArrayBuffer>> {
  return new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, plain));
}

async function decrypts(key: CryptoKey, data: Uint8Array<ArrayBuffer>): Promise<boolean> {
  try {
    await crypto.subtle.decrypt({ name: 'AES-GCM', iv }, key, data);
    return true;
  } catch {
    return false;
  }
}

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function idOf(bytes: number[] | Uint8Array): string {
  return base64urlEncode(Uint8Array.from(bytes));
}

describe('crypto', () => {
  it('creates identities whose id is the compressed public key', async () => {
    const identity = await createIdentity();
    expect(identity.id).to.match(/^[A-Za-z0-9_-]{44}$/);
    expect(identity.publicKey.length).to.equal(33);
    expect([2, 3]).to.include(identity.publicKey[0]);
    expect(identity.id).to.equal(base64urlEncode(identity.publicKey));
    expect(identity.privateKey.extractable).to.equal(false);
    expect((await createIdentity()).id).to.not.equal(identity.id);
  });

  it('decompresses ids to exactly the exported uncompressed point (50 fresh key pairs)', async () => {
    for (let i = 0; i < 50; i++) {
      const pair = await crypto.subtle.generateKey({ name: 'ECDH', namedCurve: 'P-256' }, true, ['deriveBits']);
      const raw = new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey));
      const compressed = compressPoint(raw);
      expect(hex(decompressPoint(compressed))).to.equal(hex(raw));
      const imported = await publicKeyFromId(base64urlEncode(compressed));
      expect(hex(new Uint8Array(await crypto.subtle.exportKey('raw', imported)))).to.equal(hex(raw));
    }
  });

  it('caches imported ids', async () => {
    const { id } = await createIdentity();
    expect(publicKeyFromId(id)).to.equal(publicKeyFromId(id));
  });

  it('rejects invalid ids with ERR_INVALID_ID', async () => {
    const valid = (await createIdentity()).publicKey;
    const p = [0xff, 0xff, 0xff, 0xff, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff];
    // An x whose x³ − 3x + b is not a square mod p: not on the curve.
    let offCurve: number[] | undefined;
    for (let x = 1; x < 100 && !offCurve; x++) {
      const candidate = [2, ...new Array<number>(31).fill(0), x];
      try {
        decompressPoint(Uint8Array.from(candidate));
      } catch {
        offCurve = candidate;
      }
    }
    expect(offCurve).to.not.equal(undefined);
    const bad = [
      '',
      'abc',
      idOf(valid) + 'A',
      idOf(valid).slice(0, 43) + '!',
      idOf([4, ...valid.subarray(1)]),
      idOf([0, ...valid.subarray(1)]),
      idOf([2, ...p]), // x = p
      idOf([3, ...new Array<number>(32).fill(0xff)]), // x > p
      idOf(offCurve!),
      idOf(valid).slice(0, 42) + '==', // padding is not base64url
    ];
    for (const id of bad) expect(await codeOf(publicKeyFromId(id)), id).to.equal('ERR_INVALID_ID');
    expect(await codeOf(publicKeyFromId(undefined as unknown as string))).to.equal('ERR_INVALID_ID');
  });

  it('derives room keys that match only for the same room and secret', async () => {
    const roomKey = async (room: string, secret?: string, iterations?: number) => (await deriveRoomKeys(room, secret, iterations)).roomKey;
    const key = await roomKey('standup', 'pw');
    const data = await encrypt(key);
    expect(await decrypts(await roomKey('standup', 'pw'), data)).to.equal(true);
    expect(await decrypts(await roomKey('standup', 'pw2'), data)).to.equal(false);
    expect(await decrypts(await roomKey('standup'), data)).to.equal(false);
    expect(await decrypts(await roomKey('standup2', 'pw'), data)).to.equal(false);
    expect(await decrypts(await roomKey('standup', 'pw', 1000), data)).to.equal(false);
    const slow = await encrypt(await roomKey('standup', 'pw', 1000));
    expect(await decrypts(await roomKey('standup', 'pw', 1000), slow)).to.equal(true);
    const open = await encrypt(await roomKey('standup'));
    expect(await decrypts(await roomKey('standup', ''), open)).to.equal(true);
    expect(key.extractable).to.equal(false);
    expect(await codeOf(deriveRoomKeys('standup', 'pw', -1))).to.equal('ERR_INVALID_ARGUMENT');
  });

  it('derives the same pair key on both sides, and only with the same secret and sessions', async () => {
    const [a, b, c] = await Promise.all([createIdentity(), createIdentity(), createIdentity()]);
    const salt = (await deriveRoomKeys('room', 'pw')).pairSalt;
    const ab = await new PairKeys(a, salt, 'sa').get(b.id, 'sb');
    const ba = await new PairKeys(b, salt, 'sb').get(a.id, 'sa');
    const data = await encrypt(ab);
    expect(await decrypts(ba, data)).to.equal(true);
    expect(await decrypts(await new PairKeys(c, salt, 'sc').get(a.id, 'sa'), data)).to.equal(false);
    expect(await decrypts(await new PairKeys(c, salt, 'sb').get(b.id, 'sb'), data)).to.equal(false);
    expect(await decrypts(await new PairKeys(b, (await deriveRoomKeys('other room', 'pw')).pairSalt, 'sb').get(a.id, 'sa'), data)).to.equal(false);
    expect(await decrypts(await new PairKeys(b, (await deriveRoomKeys('room')).pairSalt, 'sb').get(a.id, 'sa'), data)).to.equal(false);
    expect(await decrypts(await new PairKeys(b, salt, 'sb2').get(a.id, 'sa'), data)).to.equal(false);
    expect(await decrypts(await new PairKeys(b, salt, 'sb').get(a.id, 'sa2'), data)).to.equal(false);
  });

  it('bounds the pair key cache and reports bad ids', async () => {
    const [a, b, c, d] = await Promise.all([createIdentity(), createIdentity(), createIdentity(), createIdentity()]);
    const keys = new PairKeys(a, (await deriveRoomKeys('room')).pairSalt, 'sa', 2);
    const first = keys.get(b.id, 's');
    expect(keys.get(b.id, 's')).to.equal(first);
    await first;
    await Promise.all([keys.get(c.id, 's'), keys.get(d.id, 's')]);
    expect(keys.size).to.equal(2);
    expect(keys.get(b.id, 's')).to.not.equal(first); // evicted, derived again
    expect(await codeOf(keys.get('not-an-id', 's'))).to.equal('ERR_INVALID_ID');
    expect(keys.size).to.equal(2);
  });

  it('makes room tokens of 128 random bits', () => {
    const tokens = new Set(Array.from({ length: 100 }, () => createRoomToken()));
    expect(tokens.size).to.equal(100);
    for (const t of tokens) expect(t).to.match(/^[A-Za-z0-9_-]{22}$/);
  });
});
