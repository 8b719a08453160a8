package interchange_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"errors"
	"io"
	"strings"
	"testing"

	"filippo.io/age"
	"github.com/habeas-project/habeas"
	"github.com/habeas-project/habeas/interchange"
	"golang.org/x/crypto/ssh"
)

// sshKey returns a new SSH ed25519 key: its authorized_keys line and its
// private key file, without a passphrase.
func sshKey(t *testing.T) (public, private string) {
	t.Helper()
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	must(t, err)
	sp, err := ssh.NewPublicKey(pub)
	must(t, err)
	block, err := ssh.MarshalPrivateKey(priv, "test key")
	must(t, err)
	return strings.TrimSpace(string(ssh.MarshalAuthorizedKey(sp))) + " test key", string(pem.EncodeToMemory(block))
}

// An export encrypted to an age key and an SSH key, binary or armored,
// decrypts with either and imports into an empty store to the same log.
func TestEncryptedRoundTrip(t *testing.T) {
	src := newStore(t)
	buildDataset(t, src)
	plain := export(t, src)

	ageID, err := age.GenerateX25519Identity()
	must(t, err)
	sshPub, sshPriv := sshKey(t)
	rs, err := interchange.ParseRecipients(strings.NewReader("# the team\n" + ageID.Recipient().String() + "\n\n" + sshPub + "\n"))
	must(t, err)
	if len(rs) != 2 {
		t.Fatalf("parsed %d recipients, want 2", len(rs))
	}
	sshIDs, err := interchange.ParseIdentities(strings.NewReader(sshPriv))
	must(t, err)
	ageIDs, err := interchange.ParseIdentities(strings.NewReader("# key\n" + ageID.String() + "\n"))
	must(t, err)

	for _, armored := range []bool{false, true} {
		var enc bytes.Buffer
		w, err := interchange.Encrypt(&enc, armored, rs...)
		must(t, err)
		_, err = w.Write(plain)
		must(t, err)
		must(t, w.Close())
		if bytes.Contains(enc.Bytes(), []byte("Тестов")) || bytes.Contains(enc.Bytes(), []byte("+7 700 000 0000")) {
			t.Fatalf("armored %v: the encrypted export holds a name or a contact", armored)
		}
		for _, ids := range [][]age.Identity{ageIDs, sshIDs} {
			// Armor may follow white space, as age allows.
			in := io.MultiReader(strings.NewReader("\n  \n"), bytes.NewReader(enc.Bytes()))
			if !armored {
				in = bytes.NewReader(enc.Bytes())
			}
			r, encrypted, err := interchange.Decrypt(in, ids...)
			must(t, err)
			if !encrypted {
				t.Fatalf("armored %v: Decrypt says the export is not encrypted", armored)
			}
			dst := newStore(t)
			if _, err := interchange.Import(context.Background(), dst, r); err != nil {
				t.Fatalf("armored %v: import: %v", armored, err)
			}
			if got := export(t, dst); !bytes.Equal(got, plain) {
				t.Fatalf("armored %v: export, encrypt, decrypt, import, export: %d bytes, want %d identical", armored, len(got), len(plain))
			}
		}
	}
}

func TestDecrypt(t *testing.T) {
	id, err := age.GenerateX25519Identity()
	must(t, err)
	other, err := age.GenerateX25519Identity()
	must(t, err)
	var enc bytes.Buffer
	w, err := interchange.Encrypt(&enc, false, id.Recipient())
	must(t, err)
	io.WriteString(w, "secret\n")
	must(t, w.Close())

	r, encrypted, err := interchange.Decrypt(strings.NewReader("plain\n"), id)
	if b, _ := io.ReadAll(r); err != nil || encrypted || string(b) != "plain\n" {
		t.Errorf("a plaintext export: %q, encrypted %v, %v; want it as it is", b, encrypted, err)
	}
	if _, _, err := interchange.Decrypt(bytes.NewReader(enc.Bytes())); !errors.Is(err, interchange.ErrIdentityNeeded) {
		t.Errorf("no identity: %v, want ErrIdentityNeeded", err)
	}
	_, _, err = interchange.Decrypt(bytes.NewReader(enc.Bytes()), other)
	var de *interchange.DecryptError
	if !errors.As(err, &de) || habeas.ErrorCode(err) != habeas.EINVALID || !strings.Contains(err.Error(), "no identity given") {
		t.Errorf("the wrong identity: %v, want a *DecryptError, invalid, saying no identity fits", err)
	}
	r, _, err = interchange.Decrypt(bytes.NewReader(enc.Bytes()[:enc.Len()-1]), id)
	if err == nil {
		_, err = io.ReadAll(r)
	}
	if !errors.As(err, &de) || habeas.ErrorCode(err) != habeas.EINVALID {
		t.Errorf("a truncated export: %v, want a *DecryptError, invalid", err)
	}
}

func TestParseRecipient(t *testing.T) {
	id, err := age.GenerateX25519Identity()
	must(t, err)
	sshPub, _ := sshKey(t)
	tests := []struct {
		name, in string
		ok       bool
	}{
		{"age", id.Recipient().String(), true},
		{"age with spaces", " " + id.Recipient().String() + " ", true},
		{"ssh ed25519", sshPub, true},
		{"age, damaged", id.Recipient().String()[:20], false},
		{"a secret key", id.String(), false},
		{"empty", "", false},
		{"a name", "bob@example.org", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := interchange.ParseRecipient(tt.in)
			if (err == nil) != tt.ok {
				t.Fatalf("got %v, want ok %v", err, tt.ok)
			}
			if err != nil && strings.Contains(err.Error(), "AGE-SECRET-KEY") {
				t.Errorf("the error %q repeats a secret key", err)
			}
		})
	}
}
