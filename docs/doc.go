// Package docs holds autoidentity's deployment recipes: GitHub Actions,
// Azure Pipelines, AKS workload identity, App Service, and migrating from a
// password. They are Markdown and YAML; this package has no API. Its tests
// keep the recipes true: the workflow grants id-token: write, the
// federated credential commands are the ones package autherrors prints in
// its remedies, the manifests use the label and annotation package detect
// asks for, and every complete Go program in the Markdown compiles.
package docs
