package policies_test

import (
	"fmt"
	"math/rand/v2"

	"github.com/clustersim/clustersim/sim/policies"
)

// ExampleNewBalancer asks a balancer for a backend once per request: the
// caller owns the loads (outstanding requests per backend) and tells the
// balancer, through a Notifier, which entry changed.
func ExampleNewBalancer() {
	load := []int32{2, 0, 1}
	b, err := policies.NewBalancer("least_outstanding", rand.New(rand.NewPCG(1, 2)))
	if err != nil {
		panic(err)
	}
	n := policies.NewNotifier(b) // once: a balancer that needs no notifications gets none
	n.Reset(load)
	for range 4 {
		i := b.Pick(load)
		load[i]++ // the request starts on backend i
		n.Changed(i, load)
		fmt.Println("picked", i, "loads", load)
	}
	load[0]-- // a request on backend 0 completes
	n.Changed(0, load)
	fmt.Println("picked", b.Pick(load)) // a tie: the least recently picked wins
	// Output:
	// picked 1 loads [2 1 1]
	// picked 2 loads [2 1 2]
	// picked 1 loads [2 2 2]
	// picked 0 loads [3 2 2]
	// picked 2
}
