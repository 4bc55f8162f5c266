// The layer editor's text area: CodeMirror 6 with JavaScript or TypeScript, completion of the
// plugin API, and lint markers from the worker's check of the draft (debounced by the linter).
// Imported on demand only, by LayerEditor.vue and a lesson's editor (LessonEditorField.vue):
// the app's first paint never waits for CodeMirror.
import { type CompletionContext, type CompletionResult } from '@codemirror/autocomplete';
import { javascript, javascriptLanguage, typescriptLanguage } from '@codemirror/lang-javascript';
import { type Diagnostic, forceLinting, linter, lintGutter } from '@codemirror/lint';
import { Compartment, EditorState, StateEffect } from '@codemirror/state';
import { basicSetup, EditorView } from 'codemirror';
import { apiCompletion } from './completions';
import type { LineProblem } from './diagnostics';

export interface CodeEditorOptions {
  doc: string;
  typescript: boolean;
  /** Check the text (in the worker) and say what is wrong where; called after typing pauses. */
  check(source: string): Promise<LineProblem[]>;
  onChange(source: string): void;
  /** How long typing must pause before a check (ms). */
  delay?: number;
  label: string;
  /** Long lines wrap instead of scrolling sideways (a narrow editor). */
  wrap?: boolean;
  /** Opens scrolled to the first line holding this text. */
  reveal?: string;
}

export interface CodeEditor {
  view: EditorView;
  text(): string;
  setTypeScript(on: boolean): void;
  /** Check again now (the file name changed, the plugins changed). */
  recheck(): void;
  destroy(): void;
}

function pluginApiSource(ctx: CompletionContext): CompletionResult | null {
  const line = ctx.state.doc.lineAt(ctx.pos);
  const found = apiCompletion(line.text.slice(0, ctx.pos - line.from));
  if (!found) return null;
  return {
    from: line.from + found.from,
    options: found.members.map((m) => ({
      label: m.name,
      type: m.kind === 'method' ? 'method' : 'property',
      detail: m.detail.slice(m.name.length).replace(/^\?/, '') || undefined,
      info: m.doc || undefined,
      boost: 10,
    })),
    validFor: /^[\w$]*$/,
  };
}

/** LineProblems at positions of the document. */
export function toDiagnostics(state: EditorState, problems: LineProblem[]): Diagnostic[] {
  const doc = state.doc;
  return problems.map((p) => {
    const line = doc.line(Math.min(Math.max(1, p.line), doc.lines));
    const at = p.column ? Math.min(line.from + p.column - 1, line.to) : line.from;
    const to = p.column
      ? Math.min(wordEnd(line.text, at - line.from) + line.from, line.to)
      : line.to;
    return { from: at, to: Math.max(to, at), severity: p.severity, message: p.message };
  });
}

function wordEnd(text: string, i: number): number {
  const m = /^[\w$]+/.exec(text.slice(i));
  return i + (m ? m[0].length : 1);
}

/**
 * Asks for a check of an unchanged text (the plugins it is checked against changed): the linter
 * runs only after an edit or such a refresh, and forceLinting alone does nothing when no check
 * is pending.
 */
const recheckEffect = StateEffect.define<null>();

export function createCodeEditor(parent: HTMLElement, o: CodeEditorOptions): CodeEditor {
  const language = new Compartment();
  const lang = (ts: boolean) => javascript({ typescript: ts });
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc: o.doc,
      extensions: [
        basicSetup,
        language.of(lang(o.typescript)),
        javascriptLanguage.data.of({ autocomplete: pluginApiSource }),
        typescriptLanguage.data.of({ autocomplete: pluginApiSource }),
        lintGutter(),
        linter(async (v) => toDiagnostics(v.state, await o.check(v.state.doc.toString())), {
          delay: o.delay ?? 400,
          needsRefresh: (u) =>
            u.transactions.some((t) => t.effects.some((e) => e.is(recheckEffect))),
        }),
        EditorView.updateListener.of((u) => {
          if (u.docChanged) o.onChange(u.state.doc.toString());
        }),
        EditorView.contentAttributes.of({ 'aria-label': o.label }),
        ...(o.wrap ? [EditorView.lineWrapping] : []),
      ],
    }),
  });
  // Scrolls the editor alone (scrollIntoView would scroll the panels around it too).
  const at = o.reveal ? o.doc.indexOf(o.reveal) : -1;
  if (at >= 0)
    view.requestMeasure({
      read: () => view.lineBlockAt(at).top,
      write: (top) => (view.scrollDOM.scrollTop = Math.max(0, top - 24)),
    });
  return {
    view,
    text: () => view.state.doc.toString(),
    setTypeScript(on) {
      view.dispatch({ effects: language.reconfigure(lang(on)) });
    },
    recheck() {
      view.dispatch({ effects: recheckEffect.of(null) });
      forceLinting(view);
    },
    destroy: () => view.destroy(),
  };
}
