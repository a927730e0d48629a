package main

import (
	"context"
	"net/http"
	"net/url"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
)

// subscriptionsAPIVersion is the ARM API version List sends.
const subscriptionsAPIVersion = "2022-12-01"

// subscription is one entry of ARM's GET /subscriptions.
type subscription struct {
	ID             string `json:"id"`
	SubscriptionID string `json:"subscriptionId"`
	DisplayName    string `json:"displayName"`
	State          string `json:"state"`
	TenantID       string `json:"tenantId"`
}

// subscriptionsClient is built the way generated Azure SDK clients are: a
// pipeline whose bearer token policy asks any azcore.TokenCredential for a
// token for scope.
type subscriptionsClient struct {
	endpoint string
	pl       runtime.Pipeline
}

func newSubscriptionsClient(endpoint, scope string, cred azcore.TokenCredential, opts *azcore.ClientOptions) *subscriptionsClient {
	auth := runtime.NewBearerTokenPolicy(cred, []string{scope}, nil)
	pl := runtime.NewPipeline("sdkclient", "v1.0.0", runtime.PipelineOptions{PerRetry: []policy.Policy{auth}}, opts)
	return &subscriptionsClient{endpoint: endpoint, pl: pl}
}

// List returns every subscription the identity can see, following
// nextLink.
func (c *subscriptionsClient) List(ctx context.Context) ([]subscription, error) {
	next := runtime.JoinPaths(c.endpoint, "/subscriptions") + "?api-version=" + url.QueryEscape(subscriptionsAPIVersion)
	var all []subscription
	for next != "" {
		req, err := runtime.NewRequest(ctx, http.MethodGet, next)
		if err != nil {
			return nil, err
		}
		req.Raw().Header.Set("Accept", "application/json")
		resp, err := c.pl.Do(req)
		if err != nil {
			return nil, err
		}
		if !runtime.HasStatusCode(resp, http.StatusOK) {
			return nil, runtime.NewResponseError(resp)
		}
		var page struct {
			Value    []subscription `json:"value"`
			NextLink string         `json:"nextLink"`
		}
		if err := runtime.UnmarshalAsJSON(resp, &page); err != nil {
			return nil, err
		}
		all = append(all, page.Value...)
		next = page.NextLink
	}
	return all, nil
}
