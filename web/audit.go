package web

import (
	"net/http"
	"time"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/casework"
)

// auditView is the data of the audit page: the accounts flagged for
// unusual reading lately, and a page of the log as filtered.
type auditView struct {
	Form    map[string]string
	Actions []option
	Problem *filterProblem
	Flags   []accessRow
	Items   []accessRow
	Pager   pager
}

// accessRow is an access with the page of the record it viewed, if it
// has one.
type accessRow struct {
	*habeas.Access
	Path string
}

// flagDays is how far back the audit page shows flags.
const flagDays = 7

// recordPaths are the pages of the records an access may name.
var recordPaths = map[habeas.Kind]string{
	habeas.KindPerson: "/persons/", habeas.KindDetention: "/detentions/",
	habeas.KindCasualty: "/casualties/", habeas.KindInvestigation: "/investigations/",
}

func accessRows(as []*habeas.Access) []accessRow {
	out := make([]accessRow, len(as))
	for i, a := range as {
		out[i] = accessRow{Access: a}
		if p, ok := recordPaths[a.Kind]; ok && a.ID != "" {
			out[i].Path = p + a.ID
		}
	}
	return out
}

// adminAudit serves GET /admin/audit: the audit log of reads, newest
// first, filtered by account (actor), record (record, a person bringing
// in their detentions and casualties) and action; above it, the accounts
// flagged for reading more than the threshold in an hour, in the last
// week. Administrators only; reading the log is recorded too.
func (s *Server) adminAudit(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u := habeas.UserFrom(ctx)
	q := trimLang(r.URL.Query())
	v := auditView{Form: formValues(q, "actor", "record", "action"), Actions: s.options(r, "audit.action.", habeas.AccessActions)}
	f, err := casework.ParseAccessFilter(q)
	if habeas.ErrorCode(err) == habeas.EINVALID {
		v.Problem = s.problemOf(r, err, "audit")
		s.render(w, r, http.StatusBadRequest, "audit", v)
		return nil
	}
	if err != nil {
		return err
	}
	if f.Action == nil && len(f.Records) == 0 {
		flag := habeas.AccessFlag
		since := time.Now().Add(-flagDays * 24 * time.Hour)
		flags, _, err := s.work.FindAccesses(ctx, u, habeas.AccessFilter{Actor: f.Actor, Action: &flag, From: &since, Page: habeas.Page{Limit: 20}})
		if err != nil {
			return err
		}
		v.Flags = accessRows(flags)
	}
	as, total, err := s.work.FindAccesses(ctx, u, f)
	if err != nil {
		return err
	}
	v.Items = accessRows(as)
	limit, offset := f.Bounds()
	v.Pager = newPager("/admin/audit", q, total, len(as), habeas.Page{Offset: offset, Limit: limit})
	s.render(w, r, http.StatusOK, "audit", v)
	return nil
}
