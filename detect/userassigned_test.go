package detect

import (
	"slices"
	"strings"
	"testing"

	"github.com/AzureAD/microsoft-authentication-library-for-go/apps/managedidentity"
)

const (
	uamiObject   = "4f5e6d7c-8b9a-4c0d-9e1f-2a3b4c5d6e7f"
	uamiResource = "/subscriptions/0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9/resourceGroups/rg-api/providers/Microsoft.ManagedIdentity/userAssignedIdentities/orders"
)

// TestManagedIdentityID: Options.ManagedIdentityID takes the place of
// AZURE_CLIENT_ID, the Result reports the identity azidentity will ask for,
// and an ID the source cannot serve (as MSAL decides) is an error, never a
// fallback to the system-assigned identity.
func TestManagedIdentityID(t *testing.T) {
	t.Parallel()
	withClientID := map[string]string{"AZURE_CLIENT_ID": client}
	for _, tc := range []struct {
		name    string
		env     MapEnv
		kind    Kind
		id      ManagedIdentityID
		want    Kind
		source  Source
		ids     [3]string // ClientID, ObjectID, ResourceID of the Result
		problem string    // in the ConfigError and the incomplete reason
		warn    string
	}{
		{name: "IMDS by object ID over AZURE_CLIENT_ID", env: merge(linuxNoise, withClientID), kind: ManagedIdentity,
			id: ManagedIdentityID{ObjectID: uamiObject}, want: ManagedIdentity, source: IMDS, ids: [3]string{"", uamiObject, ""},
			warn: "AZURE_CLIENT_ID is ignored for the managed identity"},
		{name: "App Service by resource ID", env: merge(appServiceLinux),
			id: ManagedIdentityID{ResourceID: uamiResource}, want: ManagedIdentity, source: AppService, ids: [3]string{"", "", uamiResource}},
		{name: "App Service by client ID", env: merge(appServiceLinux, withClientID),
			id: ManagedIdentityID{ClientID: uami}, want: ManagedIdentity, source: AppService, ids: [3]string{uami, "", ""},
			warn: "AZURE_CLIENT_ID is ignored for the managed identity"},
		{name: "Azure ML instance with a client ID is not refused", env: merge(azureMLInstance),
			id: ManagedIdentityID{ClientID: uami}, want: ManagedIdentity, source: AzureML, ids: [3]string{uami, "", ""}},
		{name: "Azure ML by object ID", env: merge(azureMLCluster),
			id: ManagedIdentityID{ObjectID: uamiObject}, want: None, problem: "Azure ML accepts a user-assigned identity by client ID only"},
		{name: "Service Fabric", env: merge(serviceFabric),
			id: ManagedIdentityID{ClientID: uami}, want: None, problem: "Service Fabric serves the identity the cluster's application manifest assigns"},
		{name: "Azure Arc", env: merge(arcServer),
			id: ManagedIdentityID{ClientID: uami}, want: None, problem: "Azure Arc server is represented by its system-assigned identity only"},
		{name: "object ID not a GUID", env: merge(linuxNoise), kind: ManagedIdentity,
			id: ManagedIdentityID{ObjectID: "orders-identity"}, want: None, problem: "Options.ManagedIdentityID.ObjectID is not a GUID (15 characters)"},
		{name: "resource ID of something else", env: merge(linuxNoise), kind: ManagedIdentity,
			id: ManagedIdentityID{ResourceID: "/subscriptions/x/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm"}, want: None,
			problem: "is not a user-assigned identity's resource ID"},
		{name: "two IDs", env: merge(linuxNoise), kind: ManagedIdentity,
			id: ManagedIdentityID{ClientID: uami, ObjectID: uamiObject}, want: None, problem: "names more than one ID"},
		{name: "a service principal wins, the ID is ignored loudly", env: merge(servicePrincipalSecret),
			id: ManagedIdentityID{ClientID: uami}, want: ServicePrincipalSecret, ids: [3]string{client, "", ""},
			warn: "Options.ManagedIdentityID is ignored: it names a managed identity, but service-principal-secret was selected"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			o := testOptions(nil)
			o.Kind, o.ManagedIdentityID = tc.kind, tc.id
			r := Detect(tc.env, o)
			if r.Kind != tc.want || r.Source != tc.source {
				t.Fatalf("selected %s (%s), want %s (%s); errors %v, incomplete %v", r.Kind, r.Source, tc.want, tc.source, r.Errors, r.Incomplete)
			}
			if got := [3]string{r.ClientID, r.ObjectID, r.ResourceID}; got != tc.ids {
				t.Errorf("IDs = %q, want %q", got, tc.ids)
			}
			if tc.problem != "" {
				if len(r.Errors) != 1 || r.Errors[0].Variable != "Options.ManagedIdentityID" || !strings.Contains(r.Errors[0].Message, tc.problem) {
					t.Errorf("errors = %+v, want one for Options.ManagedIdentityID saying %q", r.Errors, tc.problem)
				}
				if !slices.ContainsFunc(r.Incomplete, func(in Incomplete) bool {
					return in.Kind == ManagedIdentity && slices.Contains(in.Invalid, "Options.ManagedIdentityID")
				}) {
					t.Errorf("incomplete = %+v, want the managed identity with Options.ManagedIdentityID invalid", r.Incomplete)
				}
			}
			if tc.want == ManagedIdentity && !slices.Contains(r.Evidence, "Options.ManagedIdentityID") {
				t.Errorf("evidence = %q, want Options.ManagedIdentityID", r.Evidence)
			}
			if tc.warn != "" && !slices.ContainsFunc(r.Warnings, func(w string) bool { return strings.Contains(w, tc.warn) }) {
				t.Errorf("warnings = %q, want %q", r.Warnings, tc.warn)
			}
			if got := r.String(); strings.Contains(got, canary) {
				t.Errorf("String() shows a secret: %s", got)
			}
		})
	}
}

// TestManagedIdentityIDAgreesWithMSAL holds ManagedIdentityID.problem to
// MSAL's managedidentity.New, which azidentity calls with the ID: on each
// source, a well-formed ID of each kind is refused by both or by neither.
// Azure Arc is the exception MSAL makes at token time, not at New (it
// fails closed when the agent's token does not name the identity), so
// detect refuses it up front. New reads the process environment, so this
// test is not parallel.
func TestManagedIdentityIDAgreesWithMSAL(t *testing.T) {
	ids := map[string]struct {
		detect ManagedIdentityID
		msal   managedidentity.ID
	}{
		"client ID":   {ManagedIdentityID{ClientID: uami}, managedidentity.UserAssignedClientID(uami)},
		"object ID":   {ManagedIdentityID{ObjectID: uamiObject}, managedidentity.UserAssignedObjectID(uamiObject)},
		"resource ID": {ManagedIdentityID{ResourceID: uamiResource}, managedidentity.UserAssignedResourceID(uamiResource)},
	}
	for _, env := range []map[string]string{serviceFabric, appServiceLinux, azureMLCluster, linuxNoise} {
		source := msalGetSource(t, env)
		for name, id := range ids {
			_, err := managedidentity.New(id.msal)
			p := id.detect.problem(source)
			if (err == nil) != (p == "") {
				t.Errorf("%s by %s: MSAL's New says %v, detect says %q", source, name, err, p)
			}
		}
	}
	if p := (ManagedIdentityID{ClientID: uami}).problem(AzureArc); p == "" {
		t.Error("a user-assigned ID on Azure Arc is accepted")
	}
}
