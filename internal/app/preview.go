package app

import (
	"errors"

	"gradjudge"
	"gradjudge/exercises"
)

// previewer is a catalog that renders a variant with its answers for authors (exercises.Catalog
// and exercises.Live).
type previewer interface {
	Preview(id string, seed uint64) (*exercises.Preview, error)
}

// AuthorPreview returns catalog exercise id at seed with its reference answers and the answers
// each bug rule predicts, for the catalog's authors: instructors and admins, who may see any
// exercise. It holds the answers: never show it to a student. A seed that makes no usable variant
// is EINVALID, with why, so that the author may try another.
func (a *App) AuthorPreview(u gradjudge.User, id string, seed uint64) (*exercises.Preview, error) {
	if u.Role != gradjudge.RoleInstructor && u.Role != gradjudge.RoleAdmin {
		return nil, gradjudge.Errorf(gradjudge.EFORBIDDEN, "only instructors may preview the catalog")
	}
	if err := gradjudge.CheckText("exercise id", id); err != nil {
		return nil, err
	}
	p, ok := a.d.Catalog.(previewer)
	if !ok {
		return nil, gradjudge.Errorf(gradjudge.EINTERNAL, "this catalog cannot show answers")
	}
	pv, err := p.Preview(id, seed)
	var bad *exercises.BadlyAuthoredError
	if errors.As(err, &bad) {
		return nil, &gradjudge.Error{Code: gradjudge.EINVALID, Message: bad.Error(), Op: "app.AuthorPreview", Err: err}
	}
	return pv, err
}
