/** One video encoding this peer sends on a connection (an `outbound-rtp` of kind video). */
export interface SentVideoStats {
  /** The transceiver's mid, when negotiated. */
  mid?: string;
  /** The label of the share the sender belongs to, when known. */
  label?: string;
  /** Height in pixels of the frames being encoded (absent while nothing is sent). */
  frameHeight?: number;
  /** Frames per second being encoded (absent while nothing is sent). */
  framesPerSecond?: number;
  /** Bits per second sent by this encoding since the previous `stats()` call (0 on the first). */
  bitrate: number;
}

/** What `RemotePeer.stats()` reports about one connection. */
export interface RemoteStats {
  /** When the report was taken (`performance.now()`-like milliseconds from `getStats`). */
  timestamp: number;
  /** Bits per second sent on the connection since the previous `stats()` call (0 on the first). */
  sendBitrate: number;
  /** Bits per second received on the connection since the previous `stats()` call (0 on the first). */
  receiveBitrate: number;
  /** Bytes sent and received on the connection's transport so far. */
  bytesSent: number;
  bytesReceived: number;
  /** RTP payload bytes received so far, by kind: audio keeps growing while video is paused. */
  audioBytesReceived: number;
  videoBytesReceived: number;
  /** Round-trip time of the selected candidate pair in seconds, or null when unknown yet. */
  roundTripTime: number | null;
  /** Fraction (0–1) of incoming RTP packets lost since the previous call (since the start on the first). */
  packetLoss: number;
  /** Per video encoding sent to this peer: resolution, frame rate, bitrate. */
  video: SentVideoStats[];
}

type Report = Record<string, unknown> & { type: string; id: string; timestamp: number };

const num = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) ? value : 0);

interface Totals {
  timestamp: number;
  sent: number;
  received: number;
  lost: number;
  packets: number;
  byMid: Map<string, number>;
}

/**
 * Samples `getStats` of one connection: rates come from the difference with the
 * previous sample, so the first call reports 0 bit/s.
 */
export class StatsSampler {
  #connection: RTCPeerConnection;
  #labelOf: (mid: string) => string | undefined;
  #last: Totals | null = null;

  constructor(connection: RTCPeerConnection, labelOf: (mid: string) => string | undefined) {
    this.#connection = connection;
    this.#labelOf = labelOf;
  }

  async sample(): Promise<RemoteStats> {
    const reports: Report[] = [];
    (await this.#connection.getStats()).forEach((r: Report) => reports.push(r));
    const byId = new Map(reports.map((r) => [r.id, r]));
    const pair = selectedPair(reports, byId);
    let timestamp = 0;
    let audio = 0;
    let video = 0;
    let lost = 0;
    let packets = 0;
    let rtpSent = 0;
    let rtpReceived = 0;
    const outbound: Report[] = [];
    for (const r of reports) {
      timestamp = Math.max(timestamp, num(r.timestamp));
      if (r.type === 'inbound-rtp') {
        const bytes = num(r.bytesReceived);
        rtpReceived += bytes;
        if (r.kind === 'video') video += bytes;
        else if (r.kind === 'audio') audio += bytes;
        lost += Math.max(0, num(r.packetsLost));
        packets += num(r.packetsReceived);
      } else if (r.type === 'outbound-rtp') {
        rtpSent += num(r.bytesSent);
        if (r.kind === 'video') outbound.push(r);
      }
    }
    // The transport's counters include data channels and RTCP; without a selected pair, RTP alone.
    const sent = pair ? num(pair.bytesSent) : rtpSent;
    const received = pair ? num(pair.bytesReceived) : rtpReceived;
    const last = this.#last;
    const seconds = last ? (timestamp - last.timestamp) / 1000 : 0;
    const rate = (now: number, before: number | undefined): number => (seconds > 0 && before !== undefined ? Math.max(0, Math.round(((now - before) * 8) / seconds)) : 0);
    const byMid = new Map<string, number>();
    const sentVideo: SentVideoStats[] = outbound.map((r) => {
      const key = typeof r.mid === 'string' ? r.mid : r.id;
      byMid.set(key, num(r.bytesSent));
      const entry: SentVideoStats = { bitrate: rate(num(r.bytesSent), last?.byMid.get(key)) };
      if (typeof r.mid === 'string') {
        entry.mid = r.mid;
        const label = this.#labelOf(r.mid);
        if (label !== undefined) entry.label = label;
      }
      if (typeof r.frameHeight === 'number') entry.frameHeight = r.frameHeight;
      if (typeof r.framesPerSecond === 'number') entry.framesPerSecond = r.framesPerSecond;
      return entry;
    });
    const lostDelta = lost - (last?.lost ?? 0);
    const packetsDelta = packets - (last?.packets ?? 0);
    const total = Math.max(0, lostDelta) + Math.max(0, packetsDelta);
    this.#last = { timestamp, sent, received, lost, packets, byMid };
    const rtt = pair && typeof pair.currentRoundTripTime === 'number' ? pair.currentRoundTripTime : remoteRtt(reports);
    return {
      timestamp,
      sendBitrate: rate(sent, last?.sent),
      receiveBitrate: rate(received, last?.received),
      bytesSent: sent,
      bytesReceived: received,
      audioBytesReceived: audio,
      videoBytesReceived: video,
      roundTripTime: rtt,
      packetLoss: total > 0 ? Math.max(0, lostDelta) / total : 0,
      video: sentVideo,
    };
  }
}

/** The candidate pair in use: the transport's (Chromium), the `selected` one (Firefox), else a nominated one. */
function selectedPair(reports: Report[], byId: Map<string, Report>): Report | undefined {
  for (const r of reports) {
    if (r.type === 'transport' && typeof r.selectedCandidatePairId === 'string') {
      const pair = byId.get(r.selectedCandidatePairId);
      if (pair) return pair;
    }
  }
  const pairs = reports.filter((r) => r.type === 'candidate-pair');
  return pairs.find((p) => p.selected === true) ?? pairs.find((p) => p.nominated === true && p.state === 'succeeded');
}

/** RTT reported by the remote for our RTP (`remote-inbound-rtp`), when no pair gives one. */
function remoteRtt(reports: Report[]): number | null {
  for (const r of reports) if (r.type === 'remote-inbound-rtp' && typeof r.roundTripTime === 'number') return r.roundTripTime;
  return null;
}
