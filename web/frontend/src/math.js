// math.js typesets the TeX of every .math-inline and .math-display element (in its data-tex
// attribute) with KaTeX. The server wrote a plain-text reading of each formula inside the element,
// which stays when JavaScript is off or a formula does not parse.
import katex from "katex";

function typeset(el) {
  const tex = el.dataset.tex;
  if (!tex) return;
  const fallback = el.textContent;
  try {
    katex.render(tex, el, { displayMode: el.classList.contains("math-display"), throwOnError: true, output: "htmlAndMathml" });
    el.dataset.typeset = "true";
  } catch (err) {
    el.textContent = fallback;
  }
}

document.querySelectorAll(".math-inline[data-tex], .math-display[data-tex]").forEach(typeset);
