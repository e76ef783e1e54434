package lti

import (
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"gradjudge"
)

// PickerLifetime is how long an instructor may take to choose exercises in a deep linking launch.
const PickerLifetime = 30 * time.Minute

// previewRunes caps the statement shown as an exercise's preview.
const previewRunes = 240

// pick is what a deep linking launch remembers while the instructor chooses.
type pick struct {
	PlatformID   int64           `json:"platform_id"`
	DeploymentID string          `json:"deployment_id"`
	ReturnURL    string          `json:"return_url"`
	Data         json.RawMessage `json:"data,omitempty"`
	LineItems    bool            `json:"line_items"`
	Multiple     bool            `json:"multiple"`
	FrameOrigin  string          `json:"frame_origin"`
}

// pickerView is the catalog shown to choose from.
type pickerView struct {
	Action    string
	Ticket    string
	InputType string // checkbox, or radio when the platform takes one item
	Exercises []exercisePreview
}

type exercisePreview struct {
	gradjudge.Exercise
	Preview string
}

// showPicker shows the catalog with previews to an instructor's deep linking launch. The choice
// comes back with a ticket, used once, that stands for this launch: the page is in the LMS's
// iframe, where no cookie of ours can be counted on.
func (t *Tool) showPicker(w http.ResponseWriter, r *http.Request, p gradjudge.LTIPlatform, c *idClaims, course gradjudge.Course) {
	dl := c.DeepLinking
	pk := pick{PlatformID: p.ID, DeploymentID: c.DeploymentID, ReturnURL: dl.ReturnURL, Data: dl.Data,
		LineItems: dl.AcceptLineItem == nil || *dl.AcceptLineItem, Multiple: dl.AcceptMultiple == nil || *dl.AcceptMultiple,
		FrameOrigin: returnOrigin(c)}
	if pk.FrameOrigin == "" {
		pk.FrameOrigin = origin(dl.ReturnURL)
	}
	tk := randomToken()
	payload, _ := json.Marshal(pk)
	if err := t.cfg.Once.PutOnce(r.Context(), "pick", tk, string(payload), t.now().Add(PickerLifetime)); err != nil {
		t.fail(w, r, err)
		return
	}
	v := pickerView{Action: PathDeepLink, Ticket: tk, InputType: "checkbox"}
	if !pk.Multiple {
		v.InputType = "radio"
	}
	for _, e := range t.cfg.Catalog.Exercises() {
		v.Exercises = append(v.Exercises, exercisePreview{Exercise: e, Preview: t.preview(e.ID)})
	}
	t.render(w, r, http.StatusOK, "picker.html", view{Title: "Place exercises in " + course.Title, Data: v},
		pagePolicy{frameOrigins: []string{pk.FrameOrigin}})
}

// preview is the start of an exercise's statement, as plain as its Markdown allows.
func (t *Tool) preview(id string) string {
	v, err := t.cfg.Catalog.Variant(id, 1)
	if err != nil {
		return ""
	}
	s := strings.Join(strings.Fields(strings.NewReplacer("#", "", "*", "", "`", "").Replace(v.Statement)), " ")
	if r := []rune(s); len(r) > previewRunes {
		s = string(r[:previewRunes]) + "…"
	}
	return s
}

// deepLinkChosen answers the platform with the chosen exercises: a signed LtiDeepLinkingResponse
// posted back to its return URL, one LtiResourceLink per exercise with a line item when the
// platform takes them.
func (t *Tool) deepLinkChosen(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		t.page(w, r, http.StatusBadRequest, "Not placed", "The form could not be read.")
		return
	}
	payload, err := t.cfg.Once.TakeOnce(r.Context(), "pick", r.PostForm.Get("ticket"))
	if gradjudge.ErrorCode(err) == gradjudge.ENOTFOUND {
		t.page(w, r, http.StatusBadRequest, "Not placed", "This choice expired or was sent already. Start again from your course.")
		return
	} else if err != nil {
		t.fail(w, r, err)
		return
	}
	var pk pick
	if err := json.Unmarshal([]byte(payload), &pk); err != nil {
		t.fail(w, r, err)
		return
	}
	jwtStr, n, err := t.deepLinkResponse(r, pk, r.PostForm["exercise"])
	if err != nil {
		t.fail(w, r, err)
		return
	}
	msg := "Placing the chosen exercises in your course…"
	if n == 0 {
		msg = "No exercise was chosen; nothing is placed."
	}
	t.render(w, r, http.StatusOK, "return.html", view{Title: "Back to the course", Message: msg,
		Data: struct{ ReturnURL, JWT string }{pk.ReturnURL, jwtStr}},
		pagePolicy{frameOrigins: []string{pk.FrameOrigin}, formOrigins: []string{origin(pk.ReturnURL)}, script: true})
}

// deepLinkResponse signs the response message for the chosen exercise ids (unknown ones
// ignored; only the first when the platform takes one item).
func (t *Tool) deepLinkResponse(r *http.Request, pk pick, chosen []string) (string, int, error) {
	p, err := t.cfg.Platforms.LTIPlatformByID(r.Context(), pk.PlatformID)
	if err != nil {
		return "", 0, err
	}
	items := t.contentItems(pk, chosen)
	now := t.now()
	claims := jwt.MapClaims{
		"iss": p.ClientID, "aud": p.Issuer, "iat": now.Unix(), "exp": now.Add(SignatureLifetime).Unix(),
		"nonce": randomToken(), claimMessageType: messageDeepLinkReturn, claimVersion: ltiVersion,
		claimDeploymentID: pk.DeploymentID, claimDeepLinkItems: items,
	}
	if len(pk.Data) > 0 && string(pk.Data) != "null" {
		claims[claimDeepLinkData] = pk.Data
	}
	s, err := t.keys.Sign(r.Context(), claims)
	return s, len(items), err
}

// contentItems are the LtiResourceLink items of the chosen exercises.
func (t *Tool) contentItems(pk pick, chosen []string) []map[string]any {
	byID := map[string]gradjudge.Exercise{}
	for _, e := range t.cfg.Catalog.Exercises() {
		byID[e.ID] = e
	}
	items := []map[string]any{}
	for _, id := range chosen {
		e, ok := byID[id]
		if !ok {
			continue
		}
		item := map[string]any{"type": "ltiResourceLink", "title": e.Title, "url": t.url(PathLaunch),
			"custom": map[string]string{"exercise_id": e.ID}}
		if pk.LineItems {
			item["lineItem"] = map[string]any{"scoreMaximum": gradjudge.LTIScoreMaximum, "label": e.Title, "resourceId": e.ID}
		}
		items = append(items, item)
		if !pk.Multiple {
			break
		}
	}
	return items
}
