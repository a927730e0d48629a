package main

import (
	"fmt"
	"io"
	"strings"
	"time"
)

const (
	labelWidth = 21  // the widest label, "password grants sent", and a space
	lineWidth  = 110 // values wrap at spaces past this column
	indent     = "     "
)

// printer writes the demo for a person: a header, one block per step, a
// verdict.
type printer struct{ w io.Writer }

func newPrinter(w io.Writer) *printer { return &printer{w} }

func (p *printer) header(authority string, n int) {
	fmt.Fprintf(p.w, "autoidentity demo: %d steps against the entratest emulator at %s\n", n, authority)
	fmt.Fprintf(p.w, "(in this process, loopback only: no Azure account, nothing leaves this machine, no secret printed)\n")
}

func (p *printer) step(n int, title string, o *outcome) {
	mark := "✓"
	if !o.ok() {
		mark = "✗"
	}
	fmt.Fprintf(p.w, "\n%s %d. %s\n", mark, n, title)
	for _, r := range o.rows {
		p.row(r.label, r.value)
	}
	for _, pr := range o.problems {
		p.row("✗ NOT AS SHOWN", pr)
	}
}

// row prints label and value aligned, wrapping a long value at spaces.
func (p *printer) row(label, value string) {
	prefix := indent + label + strings.Repeat(" ", max(1, labelWidth-len([]rune(label))+1))
	pad := strings.Repeat(" ", len(indent)+labelWidth+1)
	line, width := prefix, lineWidth-len(pad)
	n := 0
	for _, word := range strings.Fields(value) {
		if n > 0 && n+1+len([]rune(word)) > width {
			fmt.Fprintln(p.w, strings.TrimRight(line, " "))
			line, n = pad, 0
		}
		if n > 0 {
			line += " "
			n++
		}
		line += word
		n += len([]rune(word))
	}
	fmt.Fprintln(p.w, strings.TrimRight(line, " "))
}

func (p *printer) footer(n, failed int, took time.Duration) {
	if failed == 0 {
		fmt.Fprintf(p.w, "\nOK: all %d steps behaved as shown (%s).\n", n, took.Round(time.Millisecond))
		return
	}
	fmt.Fprintf(p.w, "\nFAIL: %d of %d steps did not behave as shown (%s).\n", failed, n, took.Round(time.Millisecond))
}
