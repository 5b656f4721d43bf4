package policies_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/clustersim/clustersim/sim/policies"
)

func picks(t *testing.T, name string, load []int32, n int, bump bool) []int {
	t.Helper()
	b, err := policies.NewBalancer(name, rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		t.Fatal(err)
	}
	load = slices.Clone(load)
	notify := policies.NewNotifier(b)
	notify.Reset(load)
	var got []int
	for range n {
		i := b.Pick(load)
		got = append(got, i)
		if bump {
			load[i]++
			notify.Changed(i, load)
		}
	}
	return got
}

func TestBalancers(t *testing.T) {
	cases := []struct {
		name string
		algo string
		load []int32
		n    int
		bump bool // count each pick as a new outstanding request
		want []int
	}{
		{"round robin cycles", "round_robin", []int32{0, 0, 0}, 7, false, []int{0, 1, 2, 0, 1, 2, 0}},
		{"round robin ignores load", "round_robin", []int32{9, 0}, 3, false, []int{0, 1, 0}},
		{"least outstanding takes the idle one", "least_outstanding", []int32{3, 0, 2}, 1, false, []int{1}},
		{"least outstanding fills up evenly, ties to the least recently picked", "least_outstanding", []int32{2, 0, 1}, 3, true, []int{1, 2, 1}},
		// Ties rotate by least recent pick, so an idle fleet is used in turn.
		{"least outstanding rotates ties", "least_outstanding", []int32{0, 0, 0}, 4, false, []int{0, 1, 2, 0}},
		{"single backend", "p2c", []int32{5}, 3, false, []int{0, 0, 0}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := picks(t, c.algo, c.load, c.n, c.bump)
			if !slices.Equal(got, c.want) {
				t.Fatalf("picks %v, want %v", got, c.want)
			}
		})
	}
}

// TestLeastOutstandingMatchesBruteForce is a differential test of the
// tournament tree against a linear scan for the minimum load under random
// load changes.
func TestLeastOutstandingMatchesBruteForce(t *testing.T) {
	r := rand.New(rand.NewPCG(2, 2))
	for _, n := range []int{1, 2, 3, 7, 64, 1000} {
		load := make([]int32, n)
		var b policies.LeastOutstanding
		b.Reset(load)
		for step := range 5000 {
			i := r.IntN(n)
			load[i] = int32(r.IntN(5))
			b.Changed(i, load)
			got := b.Pick(load)
			minLoad := slices.Min(load)
			if load[got] != minLoad {
				t.Fatalf("n=%d step %d: picked load %d, min is %d", n, step, load[got], minLoad)
			}
		}
	}
}

// TestP2CDistribution checks p2c against its closed form: with loads
// distinct and c choices drawn with replacement (Envoy), the backend of
// rank k (0 = lightest) among n is chosen when every draw lands on rank k
// or heavier but not every draw on rank k+1 or heavier:
// ((n-k)/n)^c - ((n-k-1)/n)^c.
func TestP2CDistribution(t *testing.T) {
	load := []int32{0, 1, 2, 3}
	n := len(load)
	for _, c := range []int{2, 3} {
		b := &policies.P2C{R: rand.New(rand.NewPCG(3, 3)), Choices: c}
		counts := make([]int, n)
		const draws = 400_000
		for range draws {
			counts[b.Pick(load)]++
		}
		for k := range n {
			want := math.Pow(float64(n-k)/float64(n), float64(c)) - math.Pow(float64(n-k-1)/float64(n), float64(c))
			got := float64(counts[k]) / draws
			if d := got - want; d > 0.005 || d < -0.005 {
				t.Errorf("choices %d, rank %d: p=%.4f want %.4f", c, k, got, want)
			}
		}
	}
}

func TestRandomIsUniform(t *testing.T) {
	b := &policies.Random{R: rand.New(rand.NewPCG(4, 4))}
	load := make([]int32, 5)
	counts := make([]int, 5)
	for range 100_000 {
		counts[b.Pick(load)]++
	}
	for i, c := range counts {
		if c < 19_000 || c > 21_000 {
			t.Errorf("backend %d picked %d times of 100000", i, c)
		}
	}
}

func TestUnknownAlgorithm(t *testing.T) {
	if _, err := policies.NewBalancer("fastest", nil); err == nil {
		t.Fatal("unknown algorithm accepted")
	}
}

// BenchmarkPick measures one balancing decision plus the load update that
// follows it, at 10, 1,000 and 10,000 backends: random, round_robin,
// p2c, ring_hash (O(log ring)), maglev, sticky, dns and subset are O(1)
// or nearly; least_outstanding, weighted_round_robin and
// weighted_response_time O(log n). Keyed algorithms get keys from 1,000
// clients or sessions.
func BenchmarkPick(b *testing.B) {
	for _, algo := range policies.Algorithms {
		for _, n := range []int{10, 1000, 10000} {
			b.Run(fmt.Sprintf("%s/backends=%d", algo, n), func(b *testing.B) {
				bal, _ := policies.New(policies.Config{Algorithm: algo, Clients: 1000}, rand.New(rand.NewPCG(1, 1)))
				notify := policies.NewNotifier(bal)
				load := make([]int32, n)
				notify.Reset(load)
				hosts := make([]policies.Host, n)
				for i := range hosts {
					hosts[i] = policies.Host{ID: uint64(i), Weight: 1}
				}
				notify.Hosts(hosts, load)
				keyed, _ := bal.(policies.Keyed)
				r := rand.New(rand.NewPCG(2, 2))
				b.ReportAllocs()
				for range b.N {
					var i int
					if keyed != nil {
						i = keyed.PickKey(r.Uint64N(1000), load)
					} else {
						i = bal.Pick(load)
					}
					load[i]++
					notify.Changed(i, load)
					j := r.IntN(n) // some other request finishes
					if load[j] > 0 {
						load[j]--
						notify.Changed(j, load)
					}
				}
			})
		}
	}
}

// TestLeastOutstandingIncrementalMembership is a differential test of the
// tree against a linear scan for the full order — fewest outstanding, then
// least recently picked (never picked first), then lowest index — under
// random joins, leaves (mirroring the caller's swap-remove, which moves a
// backend's pick history with it) and load changes.
func TestLeastOutstandingIncrementalMembership(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 5))
	var b policies.LeastOutstanding
	load := []int32{0}
	last := []int{0} // pick number when last picked, 0 for never
	b.Reset(load)
	picks := 0
	for step := range 20000 {
		switch op := r.IntN(10); {
		case op < 3 || len(load) == 1:
			load = append(load, int32(r.IntN(5)))
			last = append(last, 0)
			b.Added(load)
		case op < 5:
			i := r.IntN(len(load))
			end := len(load) - 1
			load[i], last[i] = load[end], last[end]
			load, last = load[:end], last[:end]
			b.Removed(i, load)
		default:
			i := r.IntN(len(load))
			load[i] = int32(r.IntN(5))
			b.Changed(i, load)
		}
		want := 0
		for i := range load {
			if load[i] < load[want] || load[i] == load[want] && last[i] < last[want] {
				want = i
			}
		}
		got := b.Pick(load)
		if got != want {
			t.Fatalf("step %d: picked %d, want %d (load %v, last picks %v)", step, got, want, load, last)
		}
		picks++
		last[got] = picks
	}
}

// loadsOnly is a balancer that watches loads but not membership.
type loadsOnly struct{ log *[]string }

func (b loadsOnly) Pick([]int32) int         { return 0 }
func (b loadsOnly) Name() string             { return "loads_only" }
func (b loadsOnly) Changed(i int, _ []int32) { *b.log = append(*b.log, fmt.Sprint("changed ", i)) }

// TestNotifier: a Notifier forwards exactly the notifications its
// balancer's optional interfaces ask for, and drops the others.
func TestNotifier(t *testing.T) {
	var log []string
	lo, _ := policies.NewBalancer(policies.NameLeastOutstanding, nil)
	rr, _ := policies.NewBalancer(policies.NameRoundRobin, nil)
	tests := []struct {
		name        string
		b           policies.Balancer
		loads, sets bool
		wantLog     []string // what loadsOnly heard
	}{
		{"least_outstanding watches both", lo, true, true, nil},
		{"round_robin watches neither", rr, false, false, nil},
		{"loads only", loadsOnly{&log}, true, false, []string{"changed 1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, loads := tt.b.(policies.LoadWatcher)
			_, sets := tt.b.(policies.MemberWatcher)
			if loads != tt.loads || sets != tt.sets {
				t.Fatalf("LoadWatcher %v, MemberWatcher %v; want %v, %v", loads, sets, tt.loads, tt.sets)
			}
			log = nil
			n := policies.NewNotifier(tt.b)
			load := []int32{0, 0}
			n.Reset(load)
			load = append(load, 0)
			n.Added(load)
			load[1] = 3
			n.Changed(1, load)
			load[0] = load[2]
			load = load[:2]
			n.Removed(0, load)
			if got := tt.b.Pick(load); got != 0 {
				t.Errorf("picked %d, want 0 (the least loaded)", got)
			}
			if !slices.Equal(log, tt.wantLog) {
				t.Errorf("heard %v, want %v", log, tt.wantLog)
			}
		})
	}
}
