package signin

import (
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
)

func TestRefused(t *testing.T) {
	if _, err := azidentity.NewUsernamePasswordCredential("t", "c", "u", "p", nil); err != nil {
		t.Skip(err)
	}
}
