import type { Peer } from '../src/index.js';
import { Mixer, type MixerLayout } from '../src/addons/mixer/index.js';
import { Recorder } from '../src/addons/recorder/index.js';

/** What `<peerix-record-button>` records with. */
export interface RecordingOptions {
  layout: MixerLayout;
  width: number;
  height: number;
  frameRate: number;
}

/** One recording: the room mixed into one picture and one sound, recorded. */
export interface RecordingSession {
  /** Stops; resolves to the file and its type. Frees the mixer whatever happens. */
  stop(): Promise<{ blob: Blob; mimeType: string }>;
}

/**
 * Starts recording `peer`'s room. The Mixer and Recorder add-ons and this code load on
 * the first press of a record button (a chunk of their own in the CDN build).
 * `onError` hears a failing recorder, `onEnded` a recorder that stopped by itself.
 */
export function startRecording(peer: Peer, options: RecordingOptions, onError: (error: unknown) => void, onEnded: () => void): RecordingSession {
  const mixer = new Mixer({ ...options, layout: options.layout === 'speaker' ? 'speaker' : 'grid' });
  try {
    peer.attach(mixer);
    const recorder = new Recorder(mixer.stream, { timeslice: 1000 });
    recorder.on('error', ({ error }) => onError(error));
    recorder.on('stop', onEnded);
    recorder.start();
    return {
      async stop() {
        try {
          const blob = await recorder.stop();
          return { blob, mimeType: recorder.mimeType || blob.type };
        } finally {
          mixer.destroy();
        }
      },
    };
  } catch (error) {
    mixer.destroy();
    throw error;
  }
}
