package ss12000spec

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"testing"
)

// The copy is the official document, and the shared one, where it is beside the repository, is
// the same file byte for byte.
func TestTheDocumentIsTheOfficialOne(t *testing.T) {
	if _, err := Load("/ss12000/v2.1"); err != nil {
		t.Fatal(err)
	}
	shared, err := os.ReadFile("../../../shared/ss12000/openapi_ss12000_version2_1_0.yaml")
	if errors.Is(err, fs.ErrNotExist) {
		return // a clone without the shared folder beside it: the digest above is the proof
	}
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(shared, Document) {
		t.Fatal("the copy differs from ../shared/ss12000/openapi_ss12000_version2_1_0.yaml")
	}
}
