import { svg, type SVGTemplateResult } from 'lit';

/**
 * Line icons on a 24×24 grid, drawn with `currentColor` (stroke set by the
 * `.icon` rule in shared styles). Decorative: the button carries the name.
 */
const icon = (d: string): SVGTemplateResult =>
  svg`<svg class="icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path d=${d} /></svg>`;

const MIC = 'M12 3a3 3 0 0 0-3 3v6a3 3 0 0 0 6 0V6a3 3 0 0 0-3-3zM5 11a7 7 0 0 0 14 0M12 18v3';
const CAMERA = 'M3 7h12v10H3zM15 11l6-4v10l-6-4';
const SLASH = 'M3 3l18 18';

export const micIcon = icon(MIC);
export const micOffIcon = icon(MIC + SLASH);
export const cameraIcon = icon(CAMERA);
export const cameraOffIcon = icon(CAMERA + SLASH);
export const screenIcon = icon('M3 4h18v12H3zM8 20h8M12 16v4');
export const chatIcon = icon('M4 5h16v11H9l-5 4z');
export const leaveIcon = icon('M3 14c5-5 13-5 18 0l-2 3-4-2v-3a11 11 0 0 0-6 0v3l-4 2z');
export const fullscreenIcon = icon('M4 9V4h5M15 4h5v5M20 15v5h-5M9 20H4v-5');
export const pipIcon = icon('M3 5h18v14H3zM12 12h7v5h-7z');
export const linkIcon = icon('M9 9h11v11H9zM5 15H4V4h11v1');
export const gridIcon = icon('M4 4h7v7H4zM13 4h7v7h-7zM4 13h7v7H4zM13 13h7v7h-7z');
export const speakerIcon = icon('M3 4h18v11H3zM4 19h4M10 19h4M16 19h4');
