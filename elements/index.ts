/**
 * peerix/elements: every Peerix element, registered (guarded: a second copy
 * of the same class is skipped, another class under the same name warns).
 */
export { PeerixRoom, type RoomState } from './room.js';
export { PeerixLocalMedia, type LocalMediaStatus } from './local-media.js';
export { PeerixRemoteVideos } from './remote-videos.js';
export { PeerixChat, type ChatEntry } from './chat.js';
export { PeerixScreenShare } from './screen-share.js';
export { PeerixFileShare, type Transfer, type TransferState } from './file-share.js';
export { PeerixRecordButton } from './record-button.js';
export { PeerixConference, type ConferenceLabels } from './conference.js';
export { PeerixMember } from './member.js';
export { QualityMonitor, qualityBadge, qualityStyles, statsSource, gradeOf, type ConnectionQuality, type QualityFigures, type QualityGrade, type QualitySource } from './connection-quality.js';
export { roomContext, type RoomContext, type RoomMember } from './context.js';
export { mediaStates, MediaStates, STATE_LABEL, type MediaState, type MediaStatesEvents } from './media-state.js';
export { createDriver, provideDriverClient, MissingDriverPackageError, DRIVER_NAMES, type DriverName, type DriverConfig, type CreatedDriver, type DriverClientPackage, type DriverClientLoader, type DriverDescriptor } from './driver-factory.js';
export { defineElement } from './define.js';
export type * from './events.js';
// The engine too, so one CDN file serves markup and script users alike.
export * from '../src/index.js';
