package nodescale_test

import (
	"fmt"

	"github.com/clustersim/clustersim/sim/policies/nodescale"
)

func ExampleAutoscaler_Scan() {
	const s = 1_000_000_000 // one second, untyped
	pools := []nodescale.Pool{{CPU: 4, Memory: 16, Min: 1, Max: 5, ScaleDownUnneeded: 600 * s, ScaleDownUtilization: 0.5}}
	a, _ := nodescale.New(nodescale.Config{MaxEmptyBulkDelete: 10, ScaleDownDelayAfterAdd: 600 * s}, pools, nil)
	full := nodescale.Node{State: nodescale.Ready, Pods: []nodescale.Pod{{CPU: 2, Memory: 1}, {CPU: 2, Memory: 1}}}
	pending := []nodescale.Pod{{CPU: 2, Memory: 1}, {CPU: 2, Memory: 1}, {CPU: 1, Memory: 1}}

	d := a.Scan(nodescale.Observation{Now: 0, Nodes: []nodescale.Node{full}, Pending: pending})
	fmt.Println(d.Reason, d.Add)

	// The new node is ready and empty: unneeded, but within the cooldown.
	empty := nodescale.Node{State: nodescale.Ready}
	d = a.Scan(nodescale.Observation{Now: 100 * s, Nodes: []nodescale.Node{full, empty, empty}})
	fmt.Println(d.Reason, d.Remove)

	// Ten minutes after it was first found unneeded, both empty nodes go.
	d = a.Scan(nodescale.Observation{Now: 700 * s, Nodes: []nodescale.Node{full, empty, empty}})
	fmt.Println(d.Reason, d.Remove)
	// Output:
	// ScaleUp [2]
	// InCooldown []
	// DeleteEmpty [1 2]
}
