// The uplink budget's arithmetic (src/uplink-budget.ts): how the budget is
// divided among video senders, the resolution and frame-rate steps, receiver
// requests, and how several sets of parameters combine (the stricter wins).
import { expect } from '@open-wc/testing';
import { budgetParameters, combineParameters, wantParameters, writeEncodings, DEFAULT_UPLINK_BUDGET } from '../../src/uplink-budget.js';

describe('uplink budget', () => {
  it('divides the budget equally among camera senders, full size while the share is large', () => {
    expect(DEFAULT_UPLINK_BUDGET).to.equal(3_000_000);
    expect(budgetParameters(3_000_000, 1, 0, false)).to.deep.equal({ maxBitrate: 3_000_000 });
    expect(budgetParameters(3_000_000, 3, 0, false)).to.deep.equal({ maxBitrate: 1_000_000 });
  });

  it('scales cameras down by 2 under 300 kbit/s, by 4 at 15 fps under 150 kbit/s', () => {
    expect(budgetParameters(3_000_000, 12, 0, false)).to.deep.equal({ maxBitrate: 250_000, scaleResolutionDownBy: 2 });
    expect(budgetParameters(3_000_000, 24, 0, false)).to.deep.equal({ maxBitrate: 125_000, scaleResolutionDownBy: 4, maxFramerate: 15 });
  });

  it('weights a screen share like 3 cameras, lowering its frame rate before its resolution', () => {
    // 2 connections, each with a camera and a screen: 2 + 2×3 = 8 units.
    expect(budgetParameters(3_000_000, 2, 2, false)).to.deep.equal({ maxBitrate: 375_000 });
    expect(budgetParameters(3_000_000, 2, 2, true)).to.deep.equal({ maxBitrate: 1_125_000 });
    expect(budgetParameters(1_000_000, 4, 4, true)).to.deep.equal({ maxBitrate: 187_500, maxFramerate: 10 });
    expect(budgetParameters(400_000, 4, 4, true)).to.deep.equal({ maxBitrate: 75_000, scaleResolutionDownBy: 2, maxFramerate: 5 });
  });

  it('a budget of 0 (or no sender) limits nothing', () => {
    expect(budgetParameters(0, 5, 1, false)).to.deep.equal({});
    expect(budgetParameters(3_000_000, 0, 0, false)).to.deep.equal({});
  });

  it('turns receiver requests into parameters', () => {
    expect(wantParameters({ video: false }, 240)).to.deep.equal({ active: false });
    expect(wantParameters({ maxHeight: 120 }, 240)).to.deep.equal({ scaleResolutionDownBy: 2 });
    expect(wantParameters({ maxHeight: 180 }, 720)).to.deep.equal({ scaleResolutionDownBy: 4 });
    expect(wantParameters({ maxHeight: 360 }, 240)).to.deep.equal({});
    expect(wantParameters({ maxHeight: 100 }, undefined)).to.deep.equal({});
    expect(wantParameters({}, 240)).to.deep.equal({});
    expect(wantParameters(undefined, 240)).to.deep.equal({});
  });

  it('combines parameters: lowest bitrate and frame rate, largest scale, inactive wins', () => {
    expect(
      combineParameters({ maxBitrate: 500_000, priority: 'high' }, { maxBitrate: 250_000, scaleResolutionDownBy: 2 }, { scaleResolutionDownBy: 1.5, active: false }, undefined),
    ).to.deep.equal({ maxBitrate: 250_000, scaleResolutionDownBy: 2, active: false, priority: 'high' });
    expect(combineParameters({ maxFramerate: 30 }, { maxFramerate: 15 }, { active: true })).to.deep.equal({ maxFramerate: 15, active: true });
  });

  it('writes video encodings, lifting limits no longer wanted', () => {
    const parameters = { encodings: [{ maxBitrate: 100, maxFramerate: 5, scaleResolutionDownBy: 4, active: false }] } as unknown as RTCRtpSendParameters;
    writeEncodings(parameters, { maxBitrate: 200 }, true);
    expect(parameters.encodings[0]).to.deep.equal({ maxBitrate: 200, scaleResolutionDownBy: 1, active: true });
  });
});
