// Types for the parts of sucrase that Backprop Lab uses by their CommonJS paths (one copy of
// sucrase for both the transform and the tokens, in Node and in the app's bundle alike).
declare module 'sucrase/dist/index.js' {
  export * from 'sucrase';
}

declare module 'sucrase/dist/parser/index.js' {
  export interface SucraseToken {
    type: number;
    start: number;
    end: number;
  }
  export function parse(
    input: string,
    isJSXEnabled: boolean,
    isTypeScriptEnabled: boolean,
    isFlowEnabled: boolean,
  ): { tokens: SucraseToken[] };
}

declare module 'sucrase/dist/parser/tokenizer/types.js' {
  export const TokenType: Record<string, number>;
}
