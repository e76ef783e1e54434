package graphsvg

// The picture's font: Liberation Sans (Debian's metric twin of Arial and Helvetica), so that text
// widths can be estimated on the server from Helvetica's advance widths.
const (
	fontFamily      = "'Liberation Sans', Arial, Helvetica, sans-serif"
	titleFontPx     = 15 // a node's name and operation
	valueFontPx     = 13 // a node's value and gradient
	edgeFontPx      = 12 // an edge's gradient labels
	unknownRuneEm   = 0.62
	widthSafetyEm   = 0.5  // added to every estimate: fallback fonts differ a little
	boldWidthFactor = 1.08 // bold Helvetica is about this much wider

	// phoneContentPx is the width a page's column has on a 390 px phone, in CSS pixels: a
	// labelled (flow) picture wider than this keeps its size and scrolls sideways, and says so.
	phoneContentPx = 390 - 2*12 // the page keeps .75rem each side on a phone
)

// helvetica holds the advance widths of printable ASCII (from ' ' to '~') in thousandths of an em.
var helvetica = [95]uint16{
	278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, // ' ' … '/'
	556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, // '0' … '?'
	1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, // '@' … 'O'
	667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, // 'P' … '_'
	333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, // '`' … 'o'
	556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584, // 'p' … '~'
}

// otherWidths are the non-ASCII runes pictures use, in thousandths of an em.
var otherWidths = map[rune]uint16{
	'·': 278, '−': 584, '∂': 494, '×': 584, '≈': 584, '←': 1000, '✓': 750, '✗': 750,
	'⊘': 800, '\u0302': 0, 'σ': 570, 'Σ': 620, '²': 333, '³': 333, 'ŷ': 500,
	'₀': 400, '₁': 400, '₂': 400, '₃': 400, '₄': 400, '₅': 400, '₆': 400, '₇': 400, '₈': 400, '₉': 400,
}

// textWidth estimates the width in pixels of s set in the picture's font at px pixels.
func textWidth(s string, px float64, bold bool) float64 {
	var em float64
	for _, r := range s {
		switch w, ok := otherWidths[r]; {
		case r >= ' ' && r <= '~':
			em += float64(helvetica[r-' ']) / 1000
		case ok:
			em += float64(w) / 1000
		default:
			em += unknownRuneEm
		}
	}
	if bold {
		em *= boldWidthFactor
	}
	return (em + widthSafetyEm) * px
}
