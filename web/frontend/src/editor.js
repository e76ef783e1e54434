// editor.js turns every <textarea data-editor="go"> into a CodeMirror 6 Go editor: highlighting,
// line numbers, tab indentation (Escape then Tab leaves the editor). The textarea stays in the form
// and is kept equal to the editor's text, so the form posts it as it would without JavaScript.
// A data-error-line attribute (1-based) marks that line as the one a compile error points at.
//
// The editor lives in a shadow root: there CodeMirror styles itself through a constructed
// stylesheet, which the pages' Content-Security-Policy allows, where in the document it would
// add a <style> element that a policy without 'unsafe-inline' or a nonce blocks. Its look
// is therefore set here, in a theme, not in a page stylesheet.
import { EditorState, StateField, RangeSetBuilder } from "@codemirror/state";
import {
  EditorView, keymap, lineNumbers, highlightActiveLine, highlightActiveLineGutter,
  drawSelection, Decoration, gutterLineClass, GutterMarker,
} from "@codemirror/view";
import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import { indentUnit, syntaxHighlighting, HighlightStyle, bracketMatching } from "@codemirror/language";
import { tags } from "@lezer/highlight";
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

const theme = EditorView.theme({
  "&": { fontSize: "14px", maxHeight: "32rem", backgroundColor: "#ffffff" },
  ".cm-scroller": { fontFamily: '"DejaVu Sans Mono", "Liberation Mono", monospace', overflow: "auto" },
  "&.cm-focused": { outline: "3px solid #0969da", outlineOffset: "1px" },
  ".cm-gutters": { backgroundColor: "#f6f8fa", color: "#57606a", borderRight: "1px solid #d0d7de" },
  ".cm-error-line": { backgroundColor: "#fdecea" },
  ".cm-gutterElement.cm-error-gutter": { backgroundColor: "#b3261e", color: "#ffffff", fontWeight: "bold" },
});

// highlight colours keep 4.5:1 contrast on white, on the active line and on the error line (the
// default style's do not).
const highlight = HighlightStyle.define([
  { tag: tags.keyword, color: "#a40e26" },
  { tag: tags.comment, color: "#57606a", fontStyle: "italic" },
  { tag: [tags.string, tags.special(tags.string)], color: "#0a3069" },
  { tag: [tags.number, tags.bool, tags.null, tags.atom], color: "#0550ae" },
  { tag: [tags.typeName, tags.standard(tags.typeName)], color: "#953800" },
  { tag: [tags.definition(tags.variableName), tags.function(tags.variableName), tags.function(tags.definition(tags.variableName))], color: "#6639ba" },
  { tag: tags.invalid, color: "#a40e26", textDecoration: "underline" },
]);

function labelOf(textarea) {
  const label = textarea.id && document.querySelector(`label[for="${CSS.escape(textarea.id)}"]`);
  return label ? label.textContent.trim() : "Code";
}

function enhance(textarea) {
  const lineNo = parseInt(textarea.dataset.errorLine || "", 10);
  const extensions = [
    lineNumbers(), highlightActiveLineGutter(), highlightActiveLine(), drawSelection(), history(),
    bracketMatching(), indentUnit.of("\t"), EditorState.tabSize.of(4), go(), theme,
    syntaxHighlighting(highlight),
    keymap.of([...defaultKeymap, ...historyKeymap, indentWithTab]),
    EditorView.contentAttributes.of({ "aria-label": labelOf(textarea), "aria-multiline": "true" }),
    EditorView.updateListener.of((u) => { if (u.docChanged) textarea.value = u.state.doc.toString(); }),
  ];
  if (lineNo > 0) extensions.push(errorLine(lineNo));
  const host = document.createElement("div");
  host.className = "code-editor";
  textarea.after(host);
  const root = host.attachShadow({ mode: "open" });
  const view = new EditorView({ parent: root, root, state: EditorState.create({ doc: textarea.value, extensions }) });
  textarea.hidden = true;
  textarea.dataset.enhanced = "true";
  if (lineNo > 0 && lineNo <= view.state.doc.lines) {
    view.dispatch({ effects: EditorView.scrollIntoView(view.state.doc.line(lineNo).from, { y: "center" }) });
  }
  return view;
}

document.querySelectorAll('textarea[data-editor="go"]').forEach(enhance);
