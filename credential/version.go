package credential

// version is the module version sent in the User-Agent of requests the
// library makes itself (GitHub OIDC).
const version = "v0.1.0"
