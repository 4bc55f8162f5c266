// One notation, the lecture's, for every Lab view: symbols by node (symbols.ts), the glossary
// (glossary.ts), formula text split into symbols (tokens.ts), what each loss figure is computed
// on (loss-figures.ts), and the composable views use (use-notation.ts). docs/notation.md
// describes it.
export * from './symbols';
export * from './glossary';
export * from './tokens';
export * from './loss-figures';
export { useNotation } from './use-notation';
export * from './shortcut';
