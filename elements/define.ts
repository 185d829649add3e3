/**
 * Registers `ctor` as `tag` unless it already is: the same class again is
 * skipped silently, another class under the same name is skipped with a warning.
 */
export function defineElement(tag: string, ctor: CustomElementConstructor): void {
  if (typeof customElements === 'undefined') return;
  const existing = customElements.get(tag);
  if (existing === ctor) return;
  if (existing) {
    console.warn(`peerix: <${tag}> is already defined by another class (two copies of peerix/elements?); keeping the first.`);
    return;
  }
  customElements.define(tag, ctor);
}
