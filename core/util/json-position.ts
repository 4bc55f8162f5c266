/**
 * Where JSON text first goes wrong, as line and column. Node 20's JSON.parse often says only
 * "Unexpected token 'o', ..." without a position, so the command line finds it itself.
 *
 * @example jsonSyntaxError('{\n  "a": oops\n}') // { line: 2, column: 8, reason: "unexpected 'o'" }
 */
export function jsonSyntaxError(
  text: string,
): { offset: number; line: number; column: number; reason: string } | null {
  let i = 0;
  const fail = (reason: string): never => {
    throw new SyntaxAt(i, reason);
  };
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i])) i++;
  };
  const unexpected = (want: string): never =>
    fail(
      i >= text.length
        ? `unexpected end of the text, expected ${want}`
        : `unexpected ${show(text[i])}, expected ${want}`,
    );
  const literal = (word: string) => {
    if (text.startsWith(word, i)) i += word.length;
    else unexpected('a value');
  };
  const string = () => {
    i++;
    while (i < text.length && text[i] !== '"') {
      const c = text.charCodeAt(i);
      if (c < 0x20) fail('a line break or control character inside a string');
      if (text[i] === '\\') {
        i++;
        if (text[i] === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) fail('a bad \\u escape');
          i += 4;
        } else if (!'"\\/bfnrt'.includes(text[i] ?? '')) fail('a bad escape in a string');
      }
      i++;
    }
    if (i >= text.length) fail('a string that never ends');
    i++;
  };
  const number = () => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m) unexpected('a value');
    i += m![0].length;
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '{') return object();
    if (c === '[') return array();
    if (c === '"') return string();
    if (c === 't') return literal('true');
    if (c === 'f') return literal('false');
    if (c === 'n') return literal('null');
    if (c === '-' || (c >= '0' && c <= '9')) return number();
    unexpected('a value');
  };
  const object = () => {
    i++;
    ws();
    if (text[i] === '}') return void i++;
    for (;;) {
      ws();
      if (text[i] !== '"') unexpected('a "quoted" property name');
      string();
      ws();
      if (text[i] !== ':') unexpected("':'");
      i++;
      value();
      ws();
      if (text[i] === ',') i++;
      else if (text[i] === '}') return void i++;
      else unexpected("',' or '}'");
    }
  };
  const array = () => {
    i++;
    ws();
    if (text[i] === ']') return void i++;
    for (;;) {
      value();
      ws();
      if (text[i] === ',') i++;
      else if (text[i] === ']') return void i++;
      else unexpected("',' or ']'");
    }
  };
  try {
    value();
    ws();
    if (i < text.length) fail(`unexpected ${show(text[i])} after the end of the JSON value`);
    return null;
  } catch (e) {
    if (!(e instanceof SyntaxAt)) throw e;
    const before = text.slice(0, e.offset);
    const line = before.split('\n').length;
    return {
      offset: e.offset,
      line,
      column: e.offset - before.lastIndexOf('\n'),
      reason: e.reason,
    };
  }
}

class SyntaxAt {
  constructor(
    readonly offset: number,
    readonly reason: string,
  ) {}
}

function show(c: string): string {
  return c === '\n' ? 'line break' : `'${c}'`;
}
