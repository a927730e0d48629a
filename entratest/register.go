package entratest

import (
	"crypto/x509"
	"fmt"
	"strings"
	"time"
)

// knownResources are the resource application ID URIs Entra knows in every
// tenant, with their resource app IDs (the IDs AADSTS50076 names).
var knownResources = map[string]string{
	"https://management.azure.com":              "797f4846-ba00-4fd7-ba43-dac1f8f63013",
	"https://management.core.windows.net":       "797f4846-ba00-4fd7-ba43-dac1f8f63013",
	"https://graph.microsoft.com":               "00000003-0000-0000-c000-000000000000",
	"https://vault.azure.net":                   "cfa8b339-82a2-471a-a3c9-0fc0be7a4093",
	"https://storage.azure.com":                 "e406a681-f3d4-42a8-90b6-c2b029497af1",
	"https://database.windows.net":              "022907d3-0f1b-48f7-badc-1ba6abab6d66",
	"https://cognitiveservices.azure.com":       "7d312290-28c8-473c-a0ed-8e53749b6d6d",
	"https://servicebus.azure.net":              "80369ed6-5f11-4dd9-bef3-692475845e77",
	"https://eventhubs.azure.net":               "80369ed6-5f11-4dd9-bef3-692475845e77",
	"https://ossrdbms-aad.database.windows.net": "123cd850-d9df-40bd-94d5-c9f07b7fa203",
	"499b84ac-1321-427f-aa17-267ca6975798":      "499b84ac-1321-427f-aa17-267ca6975798",
}

func normalizeResource(r string) string {
	r = strings.TrimSuffix(strings.TrimSpace(r), "/.default")
	return strings.ToLower(strings.TrimSuffix(r, "/"))
}

func (s *Server) registerDefaults() error {
	s.tenants = map[string]string{DefaultTenantID: DefaultTenantDomain}
	s.apps = map[string]*App{}
	s.users = map[string]*User{}
	s.system = map[Endpoint]*ManagedIdentity{}
	s.resources = map[string]string{}
	s.refresh = map[string]string{}
	s.groups = map[string]resourceGroup{}
	s.subjects = map[Issuer]string{
		GitHubIssuer: DefaultGitHubSubject, AzurePipelinesIssuer: DefaultPipelinesSubject, AKSIssuer: DefaultAKSSubject,
	}
	for r, id := range knownResources {
		s.resources[r] = id
	}
	cert, err := defaultCertificate()
	if err != nil {
		return err
	}
	err = s.AddApp(App{
		ClientID: DefaultClientID,
		ObjectID: DefaultObjectID,
		Secrets: []Secret{
			{Value: DefaultClientSecret},
			{Value: ExpiredClientSecret, Expires: time.Now().Add(-24 * time.Hour)},
		},
		Certificates: []*x509.Certificate{cert.Cert},
		FederatedCredentials: []FederatedCredential{
			{Issuer: string(GitHubIssuer), Subject: DefaultGitHubSubject},
			{Issuer: string(AzurePipelinesIssuer), Subject: DefaultPipelinesSubject},
			{Issuer: string(AKSIssuer), Subject: DefaultAKSSubject},
		},
	})
	if err != nil {
		return err
	}
	for _, u := range []User{
		{Username: DefaultUsername, Password: DefaultPassword, ObjectID: DefaultUserObjectID},
		{Username: MFAUsername, Password: DefaultPassword, ObjectID: MFAUserObjectID, MFA: true},
	} {
		if err := s.AddUser(u); err != nil {
			return err
		}
	}
	// One system-assigned identity, seen from each platform as the
	// resource that owns it there: its xms_mirid names that resource.
	for ep, owner := range systemOwners {
		s.system[ep] = &ManagedIdentity{ClientID: SystemAssignedClientID, ObjectID: SystemAssignedObjectID, ResourceID: owner, TenantID: DefaultTenantID}
	}
	return s.AddManagedIdentity(ManagedIdentity{ClientID: UserAssignedClientID, ObjectID: UserAssignedObjectID, ResourceID: UserAssignedResourceID})
}

// DefaultCertificate is the certificate registered on the default app, with
// its private key, for ClientCertificateCredential tests.
func (s *Server) DefaultCertificate() *Certificate {
	c, _ := defaultCertificate() // generated successfully in NewServer
	return c
}

// AddTenant registers a tenant by ID, with an optional verified domain that
// token requests may use instead of the ID.
func (s *Server) AddTenant(tenantID, domain string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tenants[normalizeTenant(tenantID)] = strings.ToLower(domain)
}

// AddApp registers (or replaces) an app; its client ID and api://CLIENTID
// become valid resources too.
func (s *Server) AddApp(a App) error {
	if err := a.validate(); err != nil {
		return err
	}
	if a.TenantID == "" {
		a.TenantID = DefaultTenantID
	}
	if a.ObjectID == "" {
		a.ObjectID = derivedGUID("sp:" + a.ClientID)
	}
	a.Secrets = append([]Secret(nil), a.Secrets...)
	a.Certificates = append([]*x509.Certificate(nil), a.Certificates...)
	a.FederatedCredentials = append([]FederatedCredential(nil), a.FederatedCredentials...)
	a.Roles = append([]string(nil), a.Roles...)
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.tenants[normalizeTenant(a.TenantID)]; !ok {
		return fmt.Errorf("entratest: app %s: tenant %s is not registered (call AddTenant first)", a.ClientID, a.TenantID)
	}
	s.apps[strings.ToLower(a.ClientID)] = &a
	s.resources[strings.ToLower(a.ClientID)] = a.ClientID
	s.resources["api://"+strings.ToLower(a.ClientID)] = a.ClientID
	return nil
}

// UpdateApp applies f to the registered app with clientID, under the
// server's lock, e.g. to add a secret or a federated credential.
func (s *Server) UpdateApp(clientID string, f func(*App)) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.apps[strings.ToLower(clientID)]
	if !ok {
		return fmt.Errorf("entratest: no app %s is registered", clientID)
	}
	f(a)
	return nil
}

// AddUser registers (or replaces) a user.
func (s *Server) AddUser(u User) error {
	if err := u.validate(); err != nil {
		return err
	}
	if u.TenantID == "" {
		u.TenantID = DefaultTenantID
	}
	if u.ObjectID == "" {
		u.ObjectID = derivedGUID("user:" + strings.ToLower(u.Username))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.users[strings.ToLower(u.Username)] = &u
	return nil
}

// AddManagedIdentity registers a user-assigned managed identity, available
// to every managed identity endpoint.
func (s *Server) AddManagedIdentity(m ManagedIdentity) error {
	if err := m.validate(); err != nil {
		return err
	}
	if m.TenantID == "" {
		m.TenantID = DefaultTenantID
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.uamis = append(s.uamis, &m)
	return nil
}

// SetSystemAssigned sets the system-assigned identity of a managed identity
// endpoint (IMDS, AppService, AzureArc, AzureML, ServiceFabric); nil removes
// it, so that requests for it fail as on a resource without one.
func (s *Server) SetSystemAssigned(ep Endpoint, m *ManagedIdentity) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if m == nil {
		delete(s.system, ep)
		return
	}
	c := *m
	if c.TenantID == "" {
		c.TenantID = DefaultTenantID
	}
	s.system[ep] = &c
}

// AddResource makes a resource (application ID URI) known to every tenant.
// A test that counts managed identity requests or injects faults registers a
// [UniqueResource]: MSAL's process-wide cache would otherwise answer it with
// a token an earlier test fetched.
func (s *Server) AddResource(resource string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.resources[normalizeResource(resource)] = derivedGUID("resource:" + resource)
}

// SetSubject changes the subject the emulator's issuer puts in the tokens it
// hands out (the GitHub and Azure Pipelines endpoints, the AKS token file).
func (s *Server) SetSubject(is Issuer, subject string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.subjects[is] = subject
}

func (s *Server) tenantID(t string) (string, bool) {
	t = normalizeTenant(t)
	switch t {
	case "common", "organizations":
		return DefaultTenantID, true
	}
	if _, ok := s.tenants[t]; ok {
		return t, true
	}
	for id, d := range s.tenants {
		if d != "" && d == t {
			return id, true
		}
	}
	return "", false
}

// findIdentity resolves a managed identity selector; all empty means the
// endpoint's system-assigned identity.
func (s *Server) findIdentity(ep Endpoint, clientID, objectID, resourceID string) *ManagedIdentity {
	s.mu.Lock()
	defer s.mu.Unlock()
	if clientID == "" && objectID == "" && resourceID == "" {
		return s.system[ep]
	}
	for _, m := range append([]*ManagedIdentity{s.system[ep]}, s.uamis...) {
		if m == nil {
			continue
		}
		if (clientID != "" && strings.EqualFold(m.ClientID, clientID)) ||
			(objectID != "" && strings.EqualFold(m.ObjectID, objectID)) ||
			(resourceID != "" && strings.EqualFold(m.ResourceID, resourceID)) {
			return m
		}
	}
	return nil
}

// systemOwners is the resource that owns the system-assigned identity on
// each platform, as its tokens' xms_mirid names it: a VM behind IMDS, a web
// app behind App Service, a connected machine behind Azure Arc.
var systemOwners = map[Endpoint]string{
	IMDS:          SystemAssignedResourceID,
	AppService:    entratestGroup + "/providers/Microsoft.Web/sites/entratest-app",
	AzureArc:      entratestGroup + "/providers/Microsoft.HybridCompute/machines/entratest-arc",
	AzureML:       entratestGroup + "/providers/Microsoft.MachineLearningServices/workspaces/entratest-ws/computes/entratest-compute",
	ServiceFabric: entratestGroup + "/providers/Microsoft.ServiceFabric/managedclusters/entratest-sf",
}

// entratestGroup is the resource group the emulator's resources live in.
const entratestGroup = "/subscriptions/7e570000-0000-4000-8000-0000000000ff/resourceGroups/entratest"
