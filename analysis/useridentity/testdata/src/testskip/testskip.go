// Package testskip's test file builds user credentials; by default,
// findings in _test.go files are not reported.
package testskip
