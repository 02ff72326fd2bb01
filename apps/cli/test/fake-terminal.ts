import { PassThrough } from 'node:stream';

/** A stream that says it is a terminal `columns` wide, as cli-progress needs in order to draw. */
export function fakeTerminal(columns = 100): NodeJS.WriteStream & { output: () => string } {
  const stream = new PassThrough() as unknown as NodeJS.WriteStream & { output: () => string };
  let written = '';
  stream.write = ((chunk: string) => ((written += chunk), true)) as typeof stream.write;
  Object.assign(stream, {
    isTTY: true,
    columns,
    cursorTo: () => true,
    moveCursor: () => true,
    clearLine: () => true,
    clearScreenDown: () => true,
    output: () => written,
  });
  return stream;
}
