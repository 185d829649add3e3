import { nothing, noChange } from 'lit';
import { Directive, directive, PartType, type ElementPart, type PartInfo } from 'lit/directive.js';

/**
 * `<video ${srcObject(stream)}>`: sets `srcObject` only when the stream changes.
 * A `.srcObject=${stream}` binding is re-applied on every render (Lit re-commits
 * object values), and each assignment makes the video reload: emptied,
 * loadstart, a black frame.
 */
class SrcObjectDirective extends Directive {
  constructor(part: PartInfo) {
    super(part);
    if (part.type !== PartType.ELEMENT) throw new Error('srcObject() belongs on an element: <video ${srcObject(stream)}>');
  }

  render(_stream: MediaStream | null): typeof nothing {
    return nothing;
  }

  override update(part: ElementPart, [stream]: [MediaStream | null]): typeof noChange {
    const media = part.element as HTMLMediaElement;
    if (media.srcObject !== stream) media.srcObject = stream;
    return noChange;
  }
}

export const srcObject = directive(SrcObjectDirective);
