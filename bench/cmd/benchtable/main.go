// Command benchtable reads `go test -bench` output of package bench (from
// files or standard input) and prints one Markdown table that sets
// autoidentity, DefaultAzureCredential and the plain azidentity credential
// side by side, with the ratios azidentity ÷ autoidentity. Repeated results
// (-count) are reduced to their median.
//
//	go test ./bench -run '^$' -bench . | go run ./bench/cmd/benchtable
//
// Benchmarks are matched on an "impl=NAME" path element: autoidentity is the
// base, DefaultAzureCredential the second column, any other name the plain
// credential. ns/op is left out where it is not the measured quantity (the
// benchmark reports p50-ns or a heap metric instead).
package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

const (
	base = "autoidentity"
	dac  = "DefaultAzureCredential"
)

// row is one benchmark (without its impl element) and metric.
type row struct {
	bench, metric string
}

type results struct {
	order  []row
	values map[row]map[string][]float64 // impl -> samples
	plain  map[string]string            // bench -> plain credential's name
	units  map[string][]string          // bench -> metrics in first-seen order
}

var procsSuffix = regexp.MustCompile(`-(\d+)$`)

func main() {
	r := &results{values: map[row]map[string][]float64{}, plain: map[string]string{}, units: map[string][]string{}}
	if len(os.Args) == 1 {
		r.read(os.Stdin)
	}
	for _, name := range os.Args[1:] {
		f, err := os.Open(name)
		if err != nil {
			fmt.Fprintln(os.Stderr, "benchtable:", err)
			os.Exit(1)
		}
		r.read(f)
		_ = f.Close()
	}
	if len(r.order) == 0 {
		fmt.Fprintln(os.Stderr, "benchtable: no benchmark results with an impl= element in the input")
		os.Exit(1)
	}
	r.print(os.Stdout)
}

func (r *results) read(in io.Reader) {
	sc := bufio.NewScanner(in)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 4 || !strings.HasPrefix(f[0], "Benchmark") || len(f)%2 != 0 {
			continue
		}
		name := strings.TrimPrefix(f[0], "Benchmark")
		procs := "1"
		if m := procsSuffix.FindStringSubmatch(name); m != nil {
			procs, name = m[1], strings.TrimSuffix(name, m[0])
		}
		var impl string
		var rest []string
		for _, el := range strings.Split(name, "/") {
			if v, ok := strings.CutPrefix(el, "impl="); ok {
				impl = v
			} else {
				rest = append(rest, el)
			}
		}
		if impl == "" {
			continue
		}
		bench := strings.Join(rest, "/") + " cpu=" + procs
		if impl != base && impl != dac {
			r.plain[bench] = impl
			impl = "plain"
		}
		for i := 2; i+1 < len(f); i += 2 {
			v, err := strconv.ParseFloat(f[i], 64)
			if err != nil {
				continue
			}
			k := row{bench, f[i+1]}
			if r.values[k] == nil {
				r.values[k] = map[string][]float64{}
				r.order = append(r.order, k)
				r.units[bench] = append(r.units[bench], f[i+1])
			}
			r.values[k][impl] = append(r.values[k][impl], v)
		}
	}
}

func (r *results) print(w io.Writer) {
	fmt.Fprintln(w, "| benchmark | metric | autoidentity | DefaultAzureCredential | DAC ÷ auto | plain azidentity | plain ÷ auto |")
	fmt.Fprintln(w, "|---|---|--:|--:|--:|--:|--:|")
	for _, k := range r.order {
		if k.metric == "ns/op" && r.derived(k.bench) {
			continue
		}
		v := r.values[k]
		a, ok := median(v[base])
		d, okd := median(v[dac])
		p, okp := median(v["plain"])
		plain := format(p, k.metric, okp)
		if okp {
			plain = r.plain[k.bench] + " " + plain
		}
		fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %s | %s |\n", k.bench, k.metric,
			format(a, k.metric, ok), format(d, k.metric, okd), ratio(d, a, okd && ok), plain, ratio(p, a, okp && ok))
	}
}

// derived reports whether bench's ns/op is not what it measures.
func (r *results) derived(bench string) bool {
	return slices.ContainsFunc(r.units[bench], func(u string) bool {
		return u == "p50-ns" || strings.HasPrefix(u, "heap-B/")
	})
}

func median(xs []float64) (float64, bool) {
	if len(xs) == 0 {
		return 0, false
	}
	xs = slices.Clone(xs)
	slices.Sort(xs)
	if n := len(xs); n%2 == 0 {
		return (xs[n/2-1] + xs[n/2]) / 2, true
	}
	return xs[len(xs)/2], true
}

func format(v float64, unit string, ok bool) string {
	if !ok {
		return "—"
	}
	if unit == "ns/op" || strings.HasSuffix(unit, "-ns") {
		switch {
		case v < 1e3:
			return fmt.Sprintf("%.1f ns", v)
		case v < 1e6:
			return fmt.Sprintf("%.2f µs", v/1e3)
		case v < 1e9:
			return fmt.Sprintf("%.2f ms", v/1e6)
		default:
			return fmt.Sprintf("%.2f s", v/1e9)
		}
	}
	if v >= 1000 || v == float64(int64(v)) {
		return strconv.FormatFloat(v, 'f', 0, 64)
	}
	return strconv.FormatFloat(v, 'g', 3, 64)
}

func ratio(other, ours float64, ok bool) string {
	switch {
	case !ok:
		return "—"
	case ours == 0 && other == 0:
		return "="
	case ours == 0:
		return "∞"
	}
	switch q := other / ours; {
	case q >= 100:
		return fmt.Sprintf("%.0f×", q)
	case q >= 10:
		return fmt.Sprintf("%.1f×", q)
	default:
		return fmt.Sprintf("%.2f×", q)
	}
}
