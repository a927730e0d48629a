package detect

import autherrors "github.com/autoidentity/autoidentity/errors"

// platform decides where the program runs, as far as remedies care, from
// what detect already read: the CI runner CI found, a Kubernetes pod
// (KUBERNETES_SERVICE_HOST, or workload identity's token file), and App
// Service (WEBSITE_SITE_NAME, or App Service's managed identity variable
// pair as MSAL reads it; never Azure Arc's nor Service Fabric's, which
// must not be told to run az webapp identity assign). It also keeps the
// public values remedies quote; AZURE_CLIENT_ID and AZURE_TENANT_ID only
// when they are well formed, since a secret pasted into one must not reach
// a remedy. Another CI runner's job pod (a GitLab or Jenkins Kubernetes
// executor) is a CI job, not a Kubernetes workload: no platform. It runs
// after managed, whose source it reads.
func (d *detector) platform() {
	w := &d.r.where
	for _, v := range [...]struct {
		id  varID
		dst *string
	}{{vClientID, &w.ClientID}, {vTenantID, &w.TenantID}} {
		if d.has(v.id) && d.valid(v.id) {
			*v.dst = d.get(v.id)
		}
	}
	switch {
	case d.r.CI == varNames[vGitHubActions]:
		d.r.Platform = autherrors.PlatformGitHubActions
		w.GitHubRepository, w.GitHubRef = d.get(vGitHubRepository), d.get(vGitHubRef)
	case d.r.CI == varNames[vTFBuild] || d.r.CI == "SYSTEM_TEAMFOUNDATIONCOLLECTIONURI":
		d.r.Platform = autherrors.PlatformAzurePipelines
	case d.r.CI != "":
	case d.has(vTokenFile) || d.has(vKubernetes):
		d.r.Platform = autherrors.PlatformKubernetes
	case d.has(vSiteName) || d.announced && d.source == AppService:
		d.r.Platform = autherrors.PlatformAppService
		w.AppServiceName = d.get(vSiteName)
	}
}
