package credential_test

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/autoidentity/autoidentity/credential"
	"github.com/autoidentity/autoidentity/detect"
	"github.com/autoidentity/autoidentity/entratest"
)

// reachable collects every string reachable from v, exported or not, by
// reflection: what a debugger, a deep printer or a malicious holder of the
// value could read without unsafe.
func reachable(v reflect.Value, seen map[uintptr]bool, out *[]string) {
	switch v.Kind() {
	case reflect.String:
		*out = append(*out, v.String())
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return
		}
		if v.Kind() == reflect.Pointer {
			if seen[v.Pointer()] {
				return
			}
			seen[v.Pointer()] = true
		}
		reachable(v.Elem(), seen, out)
	case reflect.Struct:
		for i := range v.NumField() {
			reachable(v.Field(i), seen, out)
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			reachable(v.Index(i), seen, out)
		}
	case reflect.Map:
		for _, k := range v.MapKeys() {
			reachable(k, seen, out)
			reachable(v.MapIndex(k), seen, out)
		}
	}
}

// TestSelectionHoldsNoSecret: the report a Credential hands to anyone who
// holds it carries no secret, in no field, exported or not, and in no
// rendering; the values azidentity needed were handed over at New.
func TestSelectionHoldsNoSecret(t *testing.T) {
	t.Parallel()
	srv := entratest.Start(t, nil)
	const canary = "CANARY-selection-secret-0123456789"
	if err := srv.UpdateApp(entratest.DefaultClientID, func(a *entratest.App) {
		a.Secrets = append(a.Secrets, entratest.Secret{Value: canary})
	}); err != nil {
		t.Fatal(err)
	}
	env := srv.ServicePrincipalSecretEnv()
	env["AZURE_CLIENT_SECRET"] = canary
	env["AZURE_PASSWORD"] = canary + "-password" // refused, and must not be kept either
	c, err := credential.New(&credential.Options{Env: detect.MapEnv(env), ClientOptions: srv.ClientOptions()})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	sel := c.Selection()
	var all []string
	reachable(reflect.ValueOf(sel), map[uintptr]bool{}, &all)
	j, _ := json.Marshal(sel)
	all = append(all, string(j), sel.String(), fmt.Sprintf("%v %+v %#v", sel, *sel, *sel), c.String())
	for _, s := range all {
		if strings.Contains(s, canary) {
			t.Fatalf("Selection() exposes the secret: %q", s)
		}
	}
}
