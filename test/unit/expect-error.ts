import { expect } from '@open-wc/testing';
import { PeerixError } from '../../src/errors.js';

/** The PeerixError `promise` rejects with; fails the test if it resolves or rejects with anything else. */
export async function failure(promise: Promise<unknown>): Promise<PeerixError> {
  try {
    await promise;
  } catch (error) {
    expect(error).to.be.instanceOf(PeerixError);
    return error as PeerixError;
  }
  throw new Error('expected a PeerixError');
}

/** The code of the PeerixError `promise` rejects with. */
export async function codeOf(promise: Promise<unknown>): Promise<string> {
  return (await failure(promise)).code;
}
