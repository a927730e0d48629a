package detect

import "strings"

// optionManagedIdentityID names Options.ManagedIdentityID in reports.
const optionManagedIdentityID = "Options.ManagedIdentityID"

// isSet reports whether id names an identity.
func (id ManagedIdentityID) isSet() bool { return id != ManagedIdentityID{} }

// problem says what is wrong with id for a managed identity served by s,
// or "" when azidentity can ask s for it. It mirrors MSAL's
// managedidentity.New (v1.10.1), which refuses a user-assigned ID for
// Service Fabric and an object or resource ID for Azure ML, and Azure
// Arc's agent, which serves only the machine's system identity (MSAL fails
// closed on it at token time).
func (id ManagedIdentityID) problem(s Source) string {
	n, guidField, guid := 0, "", ""
	for _, f := range []struct{ name, v string }{{"ClientID", id.ClientID}, {"ObjectID", id.ObjectID}} {
		if f.v != "" {
			n, guidField, guid = n+1, f.name, f.v
		}
	}
	if id.ResourceID != "" {
		n++
	}
	switch {
	case n > 1:
		return optionManagedIdentityID + " names more than one ID; set exactly one of ClientID, ObjectID and ResourceID"
	case guidField != "" && !isGUID(guid):
		return optionManagedIdentityID + "." + guidField + " is not a GUID (" + shape(guid) + ")"
	case id.ResourceID != "" && !isIdentityResourceID(id.ResourceID):
		return optionManagedIdentityID + ".ResourceID is not a user-assigned identity's resource ID (" + shape(id.ResourceID) +
			"); it has the form /subscriptions/SUB/resourceGroups/RG/providers/Microsoft.ManagedIdentity/userAssignedIdentities/NAME"
	case s == ServiceFabric:
		return optionManagedIdentityID + " names a user-assigned identity, but Service Fabric serves the identity the cluster's application manifest assigns (MSAL refuses a user-assigned ID there)"
	case s == AzureArc:
		return optionManagedIdentityID + " names a user-assigned identity, but an Azure Arc server is represented by its system-assigned identity only"
	case s == AzureML && id.ClientID == "":
		return optionManagedIdentityID + " names the identity by object or resource ID, but Azure ML accepts a user-assigned identity by client ID only (as MSAL does)"
	}
	return ""
}

// isIdentityResourceID reports whether v has the shape of a user-assigned
// managed identity's Azure resource ID.
func isIdentityResourceID(v string) bool {
	lower := strings.ToLower(v)
	return len(v) <= 1024 && strings.HasPrefix(lower, "/subscriptions/") &&
		strings.Contains(lower, "/providers/microsoft.managedidentity/userassignedidentities/") &&
		!strings.HasSuffix(lower, "/") && !strings.ContainsFunc(v, func(r rune) bool { return r <= ' ' || r == 0x7f })
}

// explicitIDUsable reports whether Options.ManagedIdentityID, if set, can
// be served by source s. When it cannot, the managed identity is
// incomplete: the caller named an identity, and serving another (the
// system-assigned one) would act as the wrong identity.
func (d *detector) explicitIDUsable(s Source) bool {
	id := d.opts.ManagedIdentityID
	if !id.isSet() {
		return true
	}
	p := id.problem(s)
	if p == "" {
		return true
	}
	d.configError(optionManagedIdentityID, p)
	d.r.Incomplete = append(d.r.Incomplete, Incomplete{Kind: ManagedIdentity, Source: s, Present: []string{optionManagedIdentityID},
		Missing: []string{}, Invalid: []string{optionManagedIdentityID}, Reason: p})
	return false
}

// explicitIdentity reports Options.ManagedIdentityID as the selected
// identity, in place of AZURE_CLIENT_ID. It returns false when it is not
// set.
func (d *detector) explicitIdentity() bool {
	id := d.opts.ManagedIdentityID
	if !id.isSet() {
		return false
	}
	d.r.Evidence = append(d.r.Evidence, optionManagedIdentityID)
	d.r.ClientID, d.r.ObjectID, d.r.ResourceID = id.ClientID, id.ObjectID, id.ResourceID
	if d.has(vClientID) && d.get(vClientID) != id.ClientID {
		d.warn("AZURE_CLIENT_ID is ignored for the managed identity: " + optionManagedIdentityID + " names the identity azidentity asks for")
	}
	return true
}
