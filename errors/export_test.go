package autherrors

// Redactor lets the external tests exercise the unexported redactor that
// Environment.AddSecrets fills.
type Redactor = redactor
