// Package external runs an autoscaling policy as a separate process, so a
// policy can be written in any language without forking the simulator.
// A scenario selects it with
//
//	autoscaler = { kind = "external", command = ["python3", "policies/queue_target.py"],
//	               metric = "cpu", target = 0.7, min = 1, max = 20, timeout = "5s" }
//
// The command runs in the scenario file's directory. scenarios/policies/
// holds a commented example, queue_target.py, to start from.
//
// # Protocol, version 1
//
// The simulator starts the command once, at the first sync tick, and
// keeps it running for the whole run. Messages are JSON objects, one per
// line (UTF-8, terminated by "\n"), and strictly alternate: at every sync
// tick the simulator writes one request line to the process's stdin and
// waits for exactly one answer line on its stdout. There is no handshake:
// the first line the process receives is the first tick's request. When
// the run ends, stdin is closed (the process reads end of file) and the
// process should exit; it is killed if it has not exited a second later.
//
// The request, with one entry per observed instance in a stable order:
//
//	{"v":1,"tick":3,"time_s":45,"policy":"external","service":"api",
//	 "current":3,"min":1,"max":20,"metric":"cpu","target":0.7,
//	 "pods":[{"ready":true,"pending":false,"terminating":false,
//	          "has_metric":true,"metric":0.83,"started_s":0,"ready_s":12.5}],
//	 "external":12}
//
// Its fields:
//
//   - v: protocol version, 1. Fields may be added within a version;
//     ignore the ones you do not know.
//   - tick: 1 for the first request, then 2, 3, ...
//   - time_s: simulated time of the decision, seconds.
//   - policy, service: the policy's name and the service it scales.
//   - current: replicas currently requested (may differ from the number
//     of pods while instances start or stop).
//   - min, max: the replica bounds from the scenario.
//   - metric, target: the scenario's metric ("cpu", "rps", "in_flight"
//     or "queue") and target per instance, in the metric's unit (cpu is a
//     fraction of the request: 0.7 = 70%).
//   - pods[].ready: passes readiness; pending: exists but not running
//     yet; terminating: being removed; has_metric: metric holds a sample;
//     metric: the instance's value of the scenario's metric (0 when
//     has_metric is false); started_s: when it started, seconds; ready_s:
//     when its readiness last changed, seconds.
//   - external: the external total the "queue" metric scales on (for
//     example the queue length), or null when there is no sample.
//
// The answer:
//
//	{"desired": 5, "reason": "avg cpu 0.83 above target 0.7"}
//
// Its fields:
//
//   - desired (required): the replica count wanted, an integer >= 0
//     (5.0 is accepted, 5.5 is not). The simulator clamps it to
//     [min, max] and says so in the decision's reason.
//   - reason (optional): a short explanation, recorded with the decision
//     as "external: <reason>".
//
// Other fields are ignored and whitespace around tokens is allowed, but
// the answer must be a single line. Flush stdout after each answer
// (Python: print(..., flush=True)); an answer stuck in a buffer is a
// timeout. Use stderr for logs: stdout carries answers only.
//
// # Errors
//
// The run stops with an error naming the policy, its command and the tick
// when the process cannot be started (ErrStart), exits or closes its
// stdout instead of answering (ErrExited; with its exit status and the
// last lines of its stderr), does not answer within the timeout (ErrTimeout;
// 5 s by default, wall clock, plus 10 s at the first tick for start-up;
// the process is then killed), or answers
// something that is not a JSON object with a valid desired count
// (ErrAnswer; the offending line is quoted, truncated). For example:
//
//	external policy "external" (python3 policies/queue_target.py) tick 3: process exited
//	without answering: exit status 1; stderr: ... | ZeroDivisionError: division by zero
//
// A process that writes a line no request asked for (two answer lines
// for one request, say) fails the run with ErrAnswer at the next tick or
// at the end, rather than have its answers read one tick late; so does a
// process that exits with a non-zero status after the last tick (Close
// reports it, and a run closes its policies before writing outputs).
//
// # Trust and clean-up
//
// A policy is arbitrary code that runs with the user's rights: it can read
// and write whatever the user can, use the network, and take as long as
// the timeout allows. Run only policies you would run by hand. What the
// simulator guarantees is that nothing a policy starts outlives the run:
// the process runs in a process group of its own, which is killed when the
// policy stops, whether or not the policy itself is still running; on
// Linux it is also killed by the kernel if the simulator dies (Pdeathsig),
// and every process still carrying the policy's CLUSTERSIM_POLICY marker
// in its environment (a descendant that left the group with setsid or a
// double fork) is killed too. Only a descendant that both leaves the
// group and scrubs its environment escapes.
//
// # Determinism
//
// A run's results depend only on the answers, never on how long the
// process took: the simulator waits for each answer before simulated time
// moves on, and the wall-clock timeout only bounds that wait (a timeout
// stops the run; it never changes a number). The policy must itself be
// deterministic, a function of the requests it has seen, for the
// simulator's same-seed, same-output guarantee to hold. This package is
// the one place under sim/ with goroutines and wall-clock timers (a
// reader at the process boundary and the timeout), and it is exempted
// from the engine's purity test for that reason alone.
//
// # Use from Go
//
//	p, err := external.New(external.Config{Command: []string{"python3", "policy.py"},
//		Dir: scenarioDir, Min: 1, Max: 20, Metric: "cpu", Target: 0.7, Service: "api"})
//	if err != nil { ... }
//	defer p.Close() // always: Close stops the process and reaps it
//	d, err := p.Decide(obs)
//	if err != nil { ... } // the run must stop; p.Err() keeps reporting it
//
// The caller must Close every Policy it creates once the run ends (or
// fails). A Policy that becomes unreachable without Close has its process
// killed by a runtime cleanup, but only when the garbage collector gets to
// it; that is a backstop, not a substitute.
package external
