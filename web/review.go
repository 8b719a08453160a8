package web

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/casework"
)

// reviewPageSize is how many pairs the review page shows at a time: each
// pair is two full records side by side, some 6 KB in Russian or Kazakh,
// and a page stays under 100 KB.
const reviewPageSize = 10

// reviewView is the data of the review page.
type reviewView struct {
	List      casework.ReviewList
	Pairs     []reviewPair
	Pager     pager
	CanDecide bool
	Problem   *filterProblem
}

// reviewPair is one proposed pair with both records as the page shows them.
type reviewPair struct {
	casework.ReviewItem
	A, B casework.ReviewSide
	// BandStart is set on the first pair of a band on the page, which
	// opens with the band's heading.
	BandStart bool
	Offset    int // where the page was, to come back to after deciding
}

// reviewPage serves GET /review: the pairs of persons that may be one
// person, most informative first, each with both records side by side,
// the matcher's probability and explanation, and the decision buttons.
func (s *Server) reviewPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	q := r.URL.Query()
	if q.Get("limit") == "" {
		q.Set("limit", strconv.Itoa(reviewPageSize))
	}
	v := reviewView{CanDecide: s.may(r, "review.decide")}
	p, err := casework.ParseReviewPage(q)
	if err != nil {
		if habeas.ErrorCode(err) != habeas.EINVALID {
			return err
		}
		v.Problem = s.problemOf(r, err)
		s.render(w, r, http.StatusBadRequest, "review", v)
		return nil
	}
	if v.List, err = s.work.FindReview(ctx, habeas.UserFrom(ctx), p); err != nil {
		return err
	}
	sides, err := s.work.ReviewSides(ctx, habeas.UserFrom(ctx), v.List.Items)
	if err != nil {
		return err
	}
	for i, it := range v.List.Items {
		rp := reviewPair{ReviewItem: it, Offset: p.Offset, BandStart: i == 0 || it.Band != v.List.Items[i-1].Band}
		rp.CannotLink = s.apartReason(r, it.CannotLink)
		rp.A, rp.B = sides[i][0], sides[i][1]
		v.Pairs = append(v.Pairs, rp)
	}
	v.Pager = newPager("/review", r.URL.Query(), v.List.Total, len(v.Pairs), p)
	s.render(w, r, http.StatusOK, "review", v)
	return nil
}

// yearsApart is the matcher's reason for birth years too far apart.
var yearsApart = regexp.MustCompile(`^birth years (\d+) and (\d+) are far apart$`)

// apartReason is why the matcher keeps two records apart, in the
// language of the request. The matcher says it in English; each of its
// reasons has a message, and anything else is shown as it came.
func (s *Server) apartReason(r *http.Request, why string) string {
	switch why {
	case "":
		return ""
	case "different valid IINs":
		return s.tr(r, "pages.review.apart.iin")
	case "different sex":
		return s.tr(r, "pages.review.apart.sex")
	}
	if m := yearsApart.FindStringSubmatch(why); m != nil {
		return s.tr(r, "pages.review.apart.years", "A", m[1], "B", m[2])
	}
	return why
}

// reviewDecide serves POST /review: a caseworker's decision on a pair,
// recorded as an Identity with the matcher's probability and explanation
// as its evidence, by the signed-in account. Then back to the queue,
// where the pair is gone.
func (s *Server) reviewDecide(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	fr, err := s.postedForm(r, "review", "UTC")
	if err != nil {
		return err
	}
	a, b := fr.value("a"), fr.value("b")
	for _, id := range []struct{ field, label, id string }{{"a", "pages.review.col.a", a}, {"b", "pages.review.col.b", b}} {
		if !habeas.ValidID(habeas.KindPerson, id.id) {
			fr.fail(id.field, id.label, "pages.review.error.person", "Value", id.id)
		}
	}
	if a == b && !fr.failed() {
		fr.fail("b", "pages.review.col.b", "pages.review.error.same")
	}
	j := habeas.Judgement(fr.choice("judgement", "pages.review.judgement",
		[]string{string(habeas.SamePerson), string(habeas.DifferentPersons)}, true))
	note := fr.text("note", "pages.review.note", casework.MaxDecisionNote, false)
	if fr.failed() {
		// The form is buttons and hidden fields, which a person cannot get
		// wrong but for the note: the error page says what was.
		s.render(w, r, http.StatusBadRequest, "error", errorView{Status: http.StatusBadRequest, Message: fr.f.summary(s.tr(r, "error.invalid"))})
		return nil
	}
	d := casework.Decision{A: a, B: b, Judgement: j, Note: note}
	if _, err := s.work.Decide(ctx, habeas.UserFrom(ctx), d); err != nil {
		return err
	}
	back := "/review"
	if n, err := strconv.Atoi(fr.value("offset")); err == nil && n > 0 {
		back += "?" + url.Values{"offset": {strconv.Itoa(n)}}.Encode()
	}
	http.Redirect(w, r, back, http.StatusSeeOther)
	return nil
}

// identityUndo serves POST /identities/{id}/undo: the decision is deleted,
// which the change log keeps as a tombstone; both persons stay as they
// were. Then back to the person page the undo was made from.
func (s *Server) identityUndo(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	ident, err := s.work.UndoDecision(ctx, habeas.UserFrom(ctx), r.PathValue("id"))
	if err != nil {
		return err
	}
	back := ident.PersonA
	if p := r.PostFormValue("person"); p == ident.PersonB {
		back = p
	}
	http.Redirect(w, r, "/persons/"+back, http.StatusSeeOther)
	return nil
}
