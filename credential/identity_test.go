package credential

import (
	"context"
	"strings"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	"github.com/autoidentity/autoidentity/detect"
	"github.com/autoidentity/autoidentity/entratest"
	"github.com/autoidentity/autoidentity/internal/claims"
)

// TestManagedIdentityIDInSelection: Options.ManagedIdentityID reaches
// detect, so Selection() and String() report the identity azidentity asks
// for, not AZURE_CLIENT_ID, and the token is that identity's. The process
// environment is set (azidentity reads it), so this test is not parallel.
func TestManagedIdentityIDInSelection(t *testing.T) {
	for _, tc := range []struct {
		name string
		id   azidentity.ManagedIDKind
		ids  [3]string // the Selection's ClientID, ObjectID, ResourceID
		says string    // in String()
	}{
		{"client ID", azidentity.ClientID(entratest.UserAssignedClientID), [3]string{entratest.UserAssignedClientID, "", ""},
			"client_id=" + entratest.UserAssignedClientID},
		{"object ID", azidentity.ObjectID(entratest.UserAssignedObjectID), [3]string{"", entratest.UserAssignedObjectID, ""},
			"object_id=" + entratest.UserAssignedObjectID},
		{"resource ID", azidentity.ResourceID(entratest.UserAssignedResourceID), [3]string{"", "", entratest.UserAssignedResourceID},
			"resource_id=" + entratest.UserAssignedResourceID},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := entratest.Start(t, nil)
			env, err := srv.ManagedIdentityEnv(entratest.AppService)
			if err != nil {
				t.Fatal(err)
			}
			// AZURE_CLIENT_ID names another identity; the option wins.
			env["AZURE_CLIENT_ID"] = entratest.SystemAssignedClientID
			c, err := New(&Options{Env: setProcessEnv(t, env), ClientOptions: srv.ClientOptions(), ManagedIdentityID: tc.id})
			if err != nil {
				t.Fatalf("New: %v", err)
			}
			defer c.Close()
			sel := c.Selection()
			if sel.Kind != detect.ManagedIdentity || sel.Source != detect.AppService {
				t.Fatalf("selected %s/%s, want managed-identity/app-service", sel.Kind, sel.Source)
			}
			if got := [3]string{sel.ClientID, sel.ObjectID, sel.ResourceID}; got != tc.ids {
				t.Errorf("Selection() IDs = %q, want %q", got, tc.ids)
			}
			for what, s := range map[string]string{"String()": c.String(), "Selection().String()": sel.String()} {
				if !strings.Contains(s, tc.says) || strings.Contains(s, entratest.SystemAssignedClientID) {
					t.Errorf("%s = %q, want it to say %s and not AZURE_CLIENT_ID's %s", what, s, tc.says, entratest.SystemAssignedClientID)
				}
			}
			tok, err := c.GetToken(context.Background(), policy.TokenRequestOptions{Scopes: []string{msiScope(t, srv)}})
			if err != nil {
				t.Fatalf("GetToken: %v", err)
			}
			cl, err := claims.Parse(tok.Token)
			if err != nil {
				t.Fatal(err)
			}
			if cl.ObjectID != entratest.UserAssignedObjectID {
				t.Errorf("the token's oid is %s, not the selected identity's %s", cl.ObjectID, entratest.UserAssignedObjectID)
			}
		})
	}
}

// detectOptions hands detection what the options select, the managed
// identity ID included, by its kind.
func TestDetectOptions(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		id   azidentity.ManagedIDKind
		want detect.ManagedIdentityID
	}{
		{nil, detect.ManagedIdentityID{}},
		{azidentity.ClientID("c"), detect.ManagedIdentityID{ClientID: "c"}},
		{azidentity.ObjectID("o"), detect.ManagedIdentityID{ObjectID: "o"}},
		{azidentity.ResourceID("r"), detect.ManagedIdentityID{ResourceID: "r"}},
	} {
		o := Options{AllowDeveloperTools: true, Kind: detect.ManagedIdentity, ManagedIdentityID: tc.id}
		got := o.detectOptions()
		if !got.AllowDeveloperTools || got.Kind != detect.ManagedIdentity || got.ManagedIdentityID != tc.want {
			t.Errorf("detectOptions() for %v = %+v, want ManagedIdentityID %+v", tc.id, got, tc.want)
		}
	}
}
