package detect

// String is the decision in one line, for logs:
//
//	autoidentity: selected service-principal-secret client_id=… tenant_id=…
//	autoidentity: selected managed-identity (imds) object_id=…
//	autoidentity: no non-interactive identity selected [no-identity]
//
// It never contains a secret. The evidence and what to fix are in the
// fields (json.Marshal(r) prints them all); `autoidentity detect` renders
// them for people.
func (r *Result) String() string {
	if d := r.Diagnostic(); d != nil {
		return "autoidentity: no non-interactive identity selected [" + string(d.Code) + "]"
	}
	s := "autoidentity: selected " + string(r.Kind)
	if r.Source != "" {
		s += " (" + string(r.Source) + ")"
	}
	if r.ClientID != "" {
		s += " client_id=" + r.ClientID
	}
	if r.ObjectID != "" {
		s += " object_id=" + r.ObjectID
	}
	if r.ResourceID != "" {
		s += " resource_id=" + r.ResourceID
	}
	if r.TenantID != "" {
		s += " tenant_id=" + r.TenantID
	}
	return s
}
