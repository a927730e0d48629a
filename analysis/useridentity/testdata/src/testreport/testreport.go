// Package testreport is analysed with -report-tests.
package testreport
