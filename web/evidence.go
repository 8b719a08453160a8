package web

import (
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/casework"
)

// The evidence vault on the case page (issue 14): a file uploaded into
// the case, streamed through to the vault as it arrives (never parsed
// into memory or spooled to a temporary file, where it would lie in the
// clear), and downloaded as an attachment only, never shown inline.

// maxUpload bounds one file uploaded through the web app.
const maxUpload = 8 << 30

// maxUploadField bounds each of the upload form's text fields, which
// precede the file.
const maxUploadField = 8 << 10

// caseEvidence keeps a file uploaded on the case page as evidence of the
// case. The form's fields come before its file, so they are read, and
// checked, before the file streams into the vault.
func (s *Server) caseEvidence(w http.ResponseWriter, r *http.Request) error {
	id := r.PathValue("id")
	ctx := r.Context()
	u := habeas.UserFrom(ctx)
	rec, _, err := s.work.FindRecord(ctx, u, habeas.KindDetention, id)
	if err != nil {
		return err
	}
	zone := ""
	if c, ok := habeas.FindCity(rec.(*habeas.Detention).City); ok {
		zone = c.Zone
	}
	// A file takes the time it takes: the server's minute for a body
	// does not hold for an upload (the size does).
	http.NewResponseController(w).SetReadDeadline(time.Time{})
	r.Body = http.MaxBytesReader(w, r.Body, maxUpload+1<<20)
	mr, err := r.MultipartReader()
	if err != nil {
		return habeas.Errorf(habeas.EINVALID, "the form could not be read: it must be sent as multipart/form-data")
	}
	vals := url.Values{}
	var file *multipart.Part
	for n := 0; ; n++ {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil || n > 32 {
			return habeas.Errorf(habeas.EINVALID, "the form could not be read")
		}
		if p.FormName() == "file" {
			file = p
			break
		}
		b, err := io.ReadAll(io.LimitReader(p, maxUploadField+1))
		if err != nil || len(b) > maxUploadField {
			return habeas.Errorf(habeas.EINVALID, "the form could not be read: a field is too long")
		}
		vals.Add(p.FormName(), string(b))
	}
	r.PostForm = vals
	fr := s.newFormReader(r, "evidence", zone)
	up := casework.EvidenceUpload{Case: id,
		Kind:        fr.choice("kind", "case.ev.kind", habeas.EvidenceKinds, false),
		Title:       fr.text("title", "case.ev.title", 300, false),
		Description: fr.text("description", "case.ev.description", 4000, false),
		CapturedAt:  fr.when("captured_at", "case.ev.captured", false),
		Device:      fr.text("device", "case.ev.device", 300, false),
		Location:    fr.text("location", "case.ev.location", 300, false),
	}
	fr.notFuture("captured_at", "case.ev.captured", up.CapturedAt)
	if src := fr.value("source"); src != "" {
		up.Sources = []string{src}
	}
	if file == nil || file.FileName() == "" {
		fr.fail("file", "case.ev.file", "case.error.file")
	}
	if fr.failed() {
		return s.refuse(w, r, id, fr.f, nil)
	}
	up.Name, up.Declared = file.FileName(), file.Header.Get("Content-Type")
	if _, err := s.work.AddEvidenceFile(ctx, u, up, file); err != nil {
		if mbe := (*http.MaxBytesError)(nil); errors.As(err, &mbe) {
			fr.fail("file", "case.ev.file", "case.error.file_size", "Max", strconv.Itoa(maxUpload>>30))
			return s.refuse(w, r, id, fr.f, nil)
		}
		if fr.refused(err) {
			return s.refuse(w, r, id, fr.f, nil)
		}
		return err
	}
	http.Redirect(w, r, "/detentions/"+id+"#evidence", http.StatusSeeOther)
	return nil
}

// evidenceDownload sends an evidence file, recorded first as viewed by
// the account in the file's chain of custody. It is a POST, so that no
// link on another site can make a signed-in browser add to the chain. The
// file goes as an attachment of no particular type, in a sandbox: a file
// that is a page or a script in disguise is never run in the
// application's origin.
func (s *Server) evidenceDownload(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	e, rc, err := s.work.OpenEvidenceFile(ctx, habeas.UserFrom(ctx), r.PathValue("id"), habeas.CustodyViewed, "downloaded in the web app")
	if err != nil {
		return err
	}
	defer rc.Close()
	http.NewResponseController(w).SetWriteDeadline(time.Time{}) // a video takes its time
	h := w.Header()
	h.Set("Content-Type", "application/octet-stream")
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": e.File.Name}))
	h.Set("Content-Security-Policy", "sandbox; default-src 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Length", strconv.FormatInt(e.File.Size, 10))
	if _, err := io.Copy(w, rc); err != nil {
		// Headers are gone: break the connection, so the browser does
		// not keep a cut or altered file as whole.
		s.log.ErrorContext(ctx, "evidence download failed", "evidence", e.ID, "err", err)
		panic(http.ErrAbortHandler)
	}
	return nil
}
