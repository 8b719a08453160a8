package web

import "net/http"

// Route is one page: the name the authorization table knows it by, its
// http.ServeMux pattern and its handler.
type Route struct {
	Name    string
	Pattern string
	Handler http.Handler
}

// Routes returns every page and form of the HTML interface. The caller
// mounts them on its router and decides who may use each, by name.
func (s *Server) Routes() []Route {
	return []Route{
		{"static", "GET /static/", staticFiles()},
		{"login.form", "GET /login", s.handle(s.loginForm)},
		{"login", "POST /login", s.handle(s.login)},
		{"logout", "POST /logout", s.handle(s.logout)},
		{"login.code.form", "GET /login/code", s.handle(s.codeForm)},
		{"login.code", "POST /login/code", s.handle(s.code)},
		{"twofactor", "GET /account/2fa", s.handle(s.twoFactorPage)},
		{"twofactor.qr", "GET /account/2fa/qr.png", s.handle(s.twoFactorQR)},
		{"twofactor.enrol", "POST /account/2fa", s.handle(s.twoFactorEnrol)},
		{"home", "GET /{$}", http.HandlerFunc(s.home)},
		{"detentions", "GET /detentions", s.handle(s.detentionList)},
		{"detention", "GET /detentions/{id}", s.handle(s.detentionPage)},
		{"case.assign", "POST /detentions/{id}/assignments", s.handle(s.caseAssign)},
		{"case.visit", "POST /detentions/{id}/visits", s.handle(s.caseVisit)},
		{"case.refusal", "POST /detentions/{id}/refusals", s.handle(s.caseRefusal)},
		{"case.hearing", "POST /detentions/{id}/hearings", s.handle(s.caseHearing)},
		{"case.allegation", "POST /detentions/{id}/allegations", s.handle(s.caseAllegation)},
		{"case.evidence", "POST /detentions/{id}/evidence", s.handle(s.caseEvidence)},
		{"evidence.download", "POST /evidence/{id}/download", s.handle(s.evidenceDownload)},
		{"lawyers", "GET /lawyers", s.handle(s.lawyersPage)},
		{"lawyer.create", "POST /lawyers", s.handle(s.lawyerCreate)},
		{"casualties", "GET /casualties", s.handle(s.casualtyList)},
		{"casualty", "GET /casualties/{id}", s.handle(s.casualtyPage)},
		{"casualty.update", "POST /casualties/{id}", s.handle(s.casualtyUpdate)},
		{"persons", "GET /persons", s.handle(s.personSearch)},
		{"person", "GET /persons/{id}", s.handle(s.personPage)},
		{"alerts", "GET /alerts", s.handle(s.alertsPage)},
		{"alerts.counts", "GET /alerts/counts", s.handle(s.alertCountsPage)},
		{"review", "GET /review", s.handle(s.reviewPage)},
		{"review.decide", "POST /review", s.handle(s.reviewDecide)},
		{"identity.undo", "POST /identities/{id}/undo", s.handle(s.identityUndo)},
		{"investigations", "GET /investigations", s.handle(s.investigationList)},
		{"investigation", "GET /investigations/{id}", s.handle(s.investigationPage)},
		{"investigation.update", "POST /investigations/{id}", s.handle(s.investigationUpdate)},
		{"trials", "GET /trials", s.handle(s.trialList)},
		{"trial", "GET /trials/{detention}/{event}", s.handle(s.trialPage)},
		{"trial.update", "POST /trials/{detention}/{event}", s.handle(s.trialUpdate)},
		{"intake.form", "GET /intake", s.handle(s.intakeForm)},
		{"intake", "POST /intake", s.handle(s.intakeSubmit)},
		{"intake.suggest", "GET /intake/suggest", s.handle(s.intakeSuggest)},
		{"queues", "GET /queues", s.handle(s.queuesOverview)},
		{"views", "GET /views", s.handle(s.viewsPage)},
		{"view.create", "POST /views", s.handle(s.viewCreate)},
		{"view.open", "GET /views/{id}", s.handle(s.viewOpen)},
		{"view.delete", "POST /views/{id}/delete", s.handle(s.viewDelete)},
		{"admin.users", "GET /admin/users", s.handle(s.adminUsers)},
		{"admin.user.create", "POST /admin/users", s.handle(s.adminUserCreate)},
		{"admin.user.update", "POST /admin/users/{name}", s.handle(s.adminUserUpdate)},
		{"tokens", "GET /tokens", s.handle(s.tokensPage)},
		{"token.create", "POST /tokens", s.handle(s.tokenCreate)},
		{"token.revoke", "POST /tokens/{id}/revoke", s.handle(s.tokenRevoke)},
		{"admin.audit", "GET /admin/audit", s.handle(s.adminAudit)},
		{"admin.erasures", "GET /admin/erasures", s.handle(s.adminErasures)},
		{"admin.erase", "POST /admin/erasures", s.handle(s.adminErase)},
		{"notfound", "/", s.handle(s.notFound)},
	}
}

// home sends the user to the first page of the menu they may open: the
// detentions, or the trials for a trial monitor.
func (s *Server) home(w http.ResponseWriter, r *http.Request) {
	to := "/detentions"
	if !s.may(r, "detentions") {
		to = "/trials"
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}
