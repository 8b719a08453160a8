package interchange

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"filippo.io/age"
	"filippo.io/age/agessh"
	"filippo.io/age/armor"
	"github.com/habeas-project/habeas"
)

// An export holds every name, contact and IIN of the register, and servers
// of the groups that keep one get seized: so an export can be encrypted to
// age recipients (https://age-encryption.org), whose holders alone can
// read it. The encryption wraps the format; the lines inside are the same.

// ageMagic begins every binary age file; armor.Header every armored one.
const ageMagic = "age-encryption.org/v1\n"

// ErrIdentityNeeded is returned by Decrypt for an encrypted export when no
// identity was given to decrypt it.
var ErrIdentityNeeded = errors.New("the export is encrypted with age, and no identity was given to decrypt it")

// DecryptError reports an encrypted export that could not be read: no
// identity given fits it, or it is damaged or cut short. habeas.ErrorCode
// reports it as habeas.EINVALID.
type DecryptError struct {
	Err error
}

func (e *DecryptError) Error() string {
	var nomatch *age.NoIdentityMatchError
	if errors.As(e.Err, &nomatch) {
		return "no identity given can decrypt the export: it was encrypted to other recipients"
	}
	return "cannot decrypt the export: " + e.Err.Error()
}

// Unwrap returns the cause, and a *habeas.Error with code EINVALID whose
// message is safe to show.
func (e *DecryptError) Unwrap() []error {
	return []error{e.Err, &habeas.Error{Code: habeas.EINVALID, Message: e.Error()}}
}

// ParseRecipient parses one recipient of an encrypted export: an age
// public key ("age1..."), or an SSH ed25519 or RSA public key as a line of
// authorized_keys ("ssh-ed25519 AAAA...").
func ParseRecipient(s string) (age.Recipient, error) {
	s = strings.TrimSpace(s)
	switch {
	case strings.HasPrefix(s, "age1pq1"):
		return age.ParseHybridRecipient(s)
	case strings.HasPrefix(s, "age1"):
		return age.ParseX25519Recipient(s)
	case strings.HasPrefix(s, "ssh-ed25519 "), strings.HasPrefix(s, "ssh-rsa "):
		return agessh.ParseRecipient(s)
	case s == "":
		return nil, errors.New("empty recipient")
	default:
		// It may be a secret key given by mistake: do not repeat it.
		return nil, errors.New("unknown recipient: want an age public key (age1...) or an SSH ed25519 or RSA public key")
	}
}

// ParseRecipients reads a recipients file as age -R does: one recipient a
// line; blank lines and lines beginning with # are skipped.
func ParseRecipients(r io.Reader) ([]age.Recipient, error) {
	var rs []age.Recipient
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		rc, err := ParseRecipient(line)
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", n, err)
		}
		rs = append(rs, rc)
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(rs) == 0 {
		return nil, errors.New("no recipients found")
	}
	return rs, nil
}

// ParseIdentities reads an identity file as age -i does: age secret keys
// ("AGE-SECRET-KEY-1..."), one a line with # comments, or one SSH ed25519
// or RSA private key without a passphrase.
func ParseIdentities(r io.Reader) ([]age.Identity, error) {
	b, err := io.ReadAll(io.LimitReader(r, 16<<20))
	if err != nil {
		return nil, err
	}
	if !bytes.HasPrefix(bytes.TrimSpace(b), []byte("-----BEGIN")) {
		return age.ParseIdentities(bytes.NewReader(b))
	}
	id, err := agessh.ParseIdentity(b)
	if err != nil {
		return nil, fmt.Errorf("not an SSH private key habeas can use (one protected by a passphrase is not): %w", err)
	}
	return []age.Identity{id}, nil
}

// Encrypt returns a writer that encrypts what is written to it to the
// recipients, into w, in age's binary format or, with armored, its ASCII
// armor. Close writes the end of the file and must be called; it does not
// close w.
func Encrypt(w io.Writer, armored bool, recipients ...age.Recipient) (io.WriteCloser, error) {
	if len(recipients) == 0 {
		return nil, errors.New("no recipients")
	}
	if !armored {
		return age.Encrypt(w, recipients...)
	}
	aw := armor.NewWriter(w)
	ew, err := age.Encrypt(aw, recipients...)
	if err != nil {
		return nil, err
	}
	return &armoredEncrypter{ew, aw}, nil
}

// armoredEncrypter closes the encryption, then the armor around it.
type armoredEncrypter struct {
	io.WriteCloser // the encryption
	armor          io.WriteCloser
}

func (a *armoredEncrypter) Close() error {
	if err := a.WriteCloser.Close(); err != nil {
		return err
	}
	return a.armor.Close()
}

// Decrypt returns what to read of an export: if r is encrypted with age
// (binary or armored), its plaintext decrypted with the identities, and
// encrypted true; otherwise r as it is. An encrypted export without
// identities is ErrIdentityNeeded; one no identity fits is a *DecryptError,
// as is a read of the plaintext that finds the file damaged or cut short.
// Nothing decrypted is written anywhere but to the reader.
func Decrypt(r io.Reader, ids ...age.Identity) (plain io.Reader, encrypted bool, err error) {
	br := bufio.NewReaderSize(r, 1<<20)
	var src io.Reader = br
	switch {
	case hasPrefix(br, ageMagic, false):
	case hasPrefix(br, armor.Header, true):
		src = armor.NewReader(br)
	default:
		return br, false, nil
	}
	if len(ids) == 0 {
		return nil, true, ErrIdentityNeeded
	}
	pr, err := age.Decrypt(src, ids...)
	if err != nil {
		return nil, true, &DecryptError{Err: err}
	}
	return decryptReader{pr}, true, nil
}

// hasPrefix reports whether br begins with p, after white space if
// leading is set (armor may follow some, as age allows), reading nothing.
func hasPrefix(br *bufio.Reader, p string, leading bool) bool {
	n := len(p)
	if leading {
		n += 1024
	}
	b, _ := br.Peek(n)
	if leading {
		b = bytes.TrimLeft(b, " \t\r\n")
	}
	return bytes.HasPrefix(b, []byte(p))
}

// decryptReader marks the errors of reading the plaintext, which mean a
// damaged or truncated file, as *DecryptError.
type decryptReader struct{ r io.Reader }

func (d decryptReader) Read(p []byte) (int, error) {
	n, err := d.r.Read(p)
	if err != nil && err != io.EOF {
		err = &DecryptError{Err: err}
	}
	return n, err
}
