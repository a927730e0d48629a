package tokencache_test

import (
	"context"
	"fmt"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/autoidentity/autoidentity/internal/tokencache"
)

func ExampleNew() {
	requests := 0
	upstream := tokencache.CredentialFunc(func(ctx context.Context, opts policy.TokenRequestOptions) (azcore.AccessToken, error) {
		requests++ // in real use, a network round trip (e.g. an azidentity credential)
		return azcore.AccessToken{
			Token:     fmt.Sprintf("token-%d-for-%s", requests, opts.Scopes[0]),
			ExpiresOn: time.Now().Add(time.Hour),
		}, nil
	})
	cache, err := tokencache.New(upstream, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer cache.Close()

	storage := policy.TokenRequestOptions{Scopes: []string{"https://storage.azure.com/.default"}}
	for range 3 {
		tok, err := cache.GetToken(context.Background(), storage)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(tok.Token)
	}
	fmt.Println("upstream requests:", requests)
	// Output:
	// token-1-for-https://storage.azure.com/.default
	// token-1-for-https://storage.azure.com/.default
	// token-1-for-https://storage.azure.com/.default
	// upstream requests: 1
}
