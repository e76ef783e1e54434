// editor.js turns every <textarea data-editor="go"> into a CodeMirror 6 Go editor: highlighting,
// line numbers, tab indentation (Escape then Tab leaves the editor). The textarea stays in the form
// and is kept equal to the editor's text, so the form posts it as it would without JavaScript.
// A data-error-line attribute (1-based) marks that line as the one a compile error points at.
import { EditorState, StateField, RangeSetBuilder } from "@codemirror/state";
import {
  EditorView, keymap, lineNumbers, highlightActiveLine, highlightActiveLineGutter,
  drawSelection, Decoration, gutterLineClass, GutterMarker,
} from "@codemirror/view";
import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import { indentUnit, syntaxHighlighting, defaultHighlightStyle, bracketMatching } from "@codemirror/language";
import { go } from "@codemirror/lang-go";

const errorMarker = new (class extends GutterMarker {
  elementClass = "cm-error-gutter";
})();

// errorLine decorates the line a compile error points at, in the text and in the gutter.
function errorLine(lineNo) {
  return StateField.define({
    create(state) { return build(state, lineNo); },
    update(deco, tr) { return tr.docChanged ? deco.map(tr.changes) : deco; },
    provide: (f) => [
      EditorView.decorations.from(f),
      gutterLineClass.compute([f], (state) => {
        const b = new RangeSetBuilder();
        state.field(f).between(0, state.doc.length, (from) => { b.add(from, from, errorMarker); });
        return b.finish();
      }),
    ],
  });
}

function build(state, lineNo) {
  const b = new RangeSetBuilder();
  if (lineNo >= 1 && lineNo <= state.doc.lines) {
    const line = state.doc.line(lineNo);
    b.add(line.from, line.from, Decoration.line({ class: "cm-error-line", attributes: { "data-error-line": String(lineNo) } }));
  }
  return b.finish();
}

function labelOf(textarea) {
  const label = textarea.id && document.querySelector(`label[for="${CSS.escape(textarea.id)}"]`);
  return label ? label.textContent.trim() : "Code";
}

function enhance(textarea) {
  const lineNo = parseInt(textarea.dataset.errorLine || "", 10);
  const extensions = [
    lineNumbers(), highlightActiveLineGutter(), highlightActiveLine(), drawSelection(), history(),
    bracketMatching(), indentUnit.of("\t"), EditorState.tabSize.of(4), go(),
    syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
    keymap.of([...defaultKeymap, ...historyKeymap, indentWithTab]),
    EditorView.contentAttributes.of({ "aria-label": labelOf(textarea), "aria-multiline": "true" }),
    EditorView.updateListener.of((u) => { if (u.docChanged) textarea.value = u.state.doc.toString(); }),
  ];
  if (lineNo > 0) extensions.push(errorLine(lineNo));
  const host = document.createElement("div");
  host.className = "code-editor";
  textarea.after(host);
  const view = new EditorView({ parent: host, state: EditorState.create({ doc: textarea.value, extensions }) });
  textarea.hidden = true;
  textarea.dataset.enhanced = "true";
  if (lineNo > 0 && lineNo <= view.state.doc.lines) {
    view.dispatch({ effects: EditorView.scrollIntoView(view.state.doc.line(lineNo).from, { y: "center" }) });
  }
  return view;
}

document.querySelectorAll('textarea[data-editor="go"]').forEach(enhance);
