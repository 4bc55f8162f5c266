// Splits formula text into plain runs and the glossary's symbols, so that each symbol can open
// its card. A symbol matches only as a whole (not the x of "max", the y of "by"), longest first
// (h̃⁽¹⁾ before h, ∂L/∂W⁽²⁾ before W⁽²⁾), with any unit subscript after it (δ⁽²⁾ⱼ, W⁽²⁾ⱼᵢ).
export type Token = { text: string; symbol: string | null };

const LETTER = /[\p{L}\p{N}\p{M}_]/u;
const SUBSCRIPT = /[₀-₉ᵢⱼₖ]/u;
const MODIFIER = /[ᵀ′]/u;

/**
 * @example tokenize('δ⁽²⁾ = ŷ − y', ['δ⁽²⁾', 'ŷ', 'y'])
 * // [{ text: 'δ⁽²⁾', symbol: 'δ⁽²⁾' }, { text: ' = ', symbol: null }, …]
 */
export function tokenize(text: string, symbols: Iterable<string>): Token[] {
  const keys = [...symbols].filter(Boolean).sort((a, b) => b.length - a.length);
  const out: Token[] = [];
  let plain = '';
  let i = 0;
  while (i < text.length) {
    const key = boundary(text, i)
      ? keys.find((s) => text.startsWith(s, i) && ends(text, i + s.length))
      : undefined;
    if (!key) {
      plain += text[i];
      i++;
      continue;
    }
    let end = i + key.length;
    while (end < text.length && SUBSCRIPT.test(text[end])) end++;
    if (plain) out.push({ text: plain, symbol: null });
    plain = '';
    out.push({ text: text.slice(i, end), symbol: key });
    i = end;
  }
  if (plain) out.push({ text: plain, symbol: null });
  return out;
}

/** A word of a formula: the tokens between two spaces, and the space before it ('' at the start). */
export interface Word {
  space: string;
  tokens: Token[];
}

/**
 * Tokens grouped into words, so that a formula breaks across lines only at its spaces (never
 * inside σ′(h̃⁽¹⁾) or after an opening bracket).
 *
 * @example words(tokenize('ŷ − y', keys)) // [{ space: '', tokens: [ŷ] }, { space: ' ', … − }, …]
 */
export function words(tokens: readonly Token[]): Word[] {
  const out: Word[] = [{ space: '', tokens: [] }];
  for (const t of tokens) {
    if (t.symbol) {
      out[out.length - 1].tokens.push(t);
      continue;
    }
    for (const part of t.text.split(/(\s+)/)) {
      if (!part) continue;
      if (/^\s+$/.test(part)) out.push({ space: part, tokens: [] });
      else out[out.length - 1].tokens.push({ text: part, symbol: null });
    }
  }
  return out;
}

/** No letter (nor the ∂ of a derivative not in the glossary) just before: a symbol starts here. */
function boundary(text: string, i: number): boolean {
  return i === 0 || (!LETTER.test(text[i - 1]) && text[i - 1] !== '∂');
}

/** No letter (or combining mark) just after: the symbol ends here. */
function ends(text: string, i: number): boolean {
  if (i >= text.length) return true;
  const c = text[i];
  return !LETTER.test(c) || SUBSCRIPT.test(c) || MODIFIER.test(c);
}
