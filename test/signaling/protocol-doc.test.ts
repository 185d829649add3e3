import { expect } from '@open-wc/testing';
import { BEGIN, END, renderTables } from './protocol-tables.js';

describe('docs/PROTOCOL.md', () => {
  it('has the message tables the wire schema generates (run node scripts/protocol-tables.mjs after a schema change)', async () => {
    const response = await fetch('/docs/PROTOCOL.md');
    expect(response.ok, 'docs/PROTOCOL.md is served').to.equal(true);
    const text = await response.text();
    const start = text.indexOf(BEGIN);
    const end = text.indexOf(END);
    expect(start, 'begin marker').to.be.above(-1);
    expect(end, 'end marker').to.be.above(start);
    expect(text.slice(start, end + END.length)).to.equal(renderTables());
  });
});
