package web

import (
	"html/template"
	"net/http"
	"strconv"

	"gradjudge"
	"gradjudge/exercises"
)

// defaultPreviewSeed is the variant a preview shows when no seed is asked for.
const defaultPreviewSeed = 1

// previewView is the author's preview of a catalog exercise: one variant as a student sees it,
// with its reference answers and the answers each bug rule predicts. It holds the answers: staff
// only.
type previewView struct {
	*exercises.Preview
	Statement template.HTML
	Picture   template.HTML
	Concepts  []string
	Seed      uint64
	Prev      uint64 // the seeds either side, for stepping through variants
	Next      uint64
	Rules     []predictionRow
	Choices   []choiceRow // the options of a choice exercise, typeset
}

// choiceRow is one option of a choice exercise, its text typeset as statements are.
type choiceRow struct {
	exercises.PreviewOption
	HTML          template.HTML
	Misconception gradjudge.Misconception // what choosing it reveals; zero for the correct option
}

// predictionRow is one rule's predicted wrong answers, with its misconception looked up.
type predictionRow struct {
	exercises.PreviewPrediction
	Misconception gradjudge.Misconception
}

// Assets are the preview's math and graph styles.
func (previewView) Assets() (styles, scripts []string) {
	return []string{"css/math.css", "graph.css", "instructor.css"}, []string{"js/math.js"}
}

// Refresh is 0: a preview never reloads.
func (previewView) Refresh() int { return 0 }

// preview shows catalog exercise {eid} at ?seed= (by default a sample) with its answers, for the
// catalog's authors.
func (h *Handler) preview(w http.ResponseWriter, r *http.Request, v visit) {
	seed := uint64(defaultPreviewSeed)
	if s := r.URL.Query().Get("seed"); s != "" {
		var err error
		if seed, err = strconv.ParseUint(s, 10, 64); err != nil {
			h.renderError(w, r, http.StatusBadRequest, "The seed must be a whole number from 0 to 18446744073709551615.")
			return
		}
	}
	p, err := h.App.AuthorPreview(v.User, r.PathValue("eid"), seed)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	view := previewView{Preview: p, Statement: h.renderStatement(p.Variant.Statement), Picture: h.picture(p.Variant, nil),
		Seed: seed, Prev: seed - 1, Next: seed + 1}
	titles := h.conceptTitles()
	for _, c := range p.Variant.Concepts {
		view.Concepts = append(view.Concepts, titles(c))
	}
	for _, pr := range p.Predictions {
		view.Rules = append(view.Rules, predictionRow{PreviewPrediction: pr, Misconception: h.App.Misconception(pr.Tag)})
	}
	for _, o := range p.Options {
		html, err := h.statements.RenderInline(o.Text)
		if err != nil {
			html = template.HTML(template.HTMLEscapeString(o.Text))
		}
		row := choiceRow{PreviewOption: o, HTML: html}
		if o.Tag != "" {
			row.Misconception = h.App.Misconception(o.Tag)
		}
		view.Choices = append(view.Choices, row)
	}
	h.render(w, r, http.StatusOK, "preview.html", "Preview: "+p.Variant.Title, &v.User, view)
}
