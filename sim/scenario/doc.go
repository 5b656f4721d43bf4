// Package scenario reads clustersim scenario files: TOML in, a validated
// [Config] out. This comment is the authoritative reference of the file
// format.
//
//	cfg, err := scenario.Load("scenarios/spike.toml", []string{"service.api.replicas=5"})
//	if err != nil {
//		fmt.Fprintln(os.Stderr, err) // every problem, one per line, with file:line:col
//		os.Exit(1)
//	}
//
// # A scenario
//
// A scenario has one [sim] table, at least one [[workload]] and at least
// one [[service]], and any number of [[fault]], [[assert]] and [[variant]]:
//
//	[sim]
//	name = "flash-sale"
//	duration = "30m"
//	warmup = "1m"        # excluded from summary figures
//	window = "10s"       # metrics window
//	seed = 42
//
//	[[workload]]
//	name = "shoppers"
//	target = "api"
//	arrival = "poisson"                  # poisson | constant | trace
//	rate = 200                           # requests per second
//	schedule = [{ at = "10m", rate = 2000, ramp = "30s" }, { at = "20m", rate = 200 }]
//	service_time = { dist = "exponential", mean = "50ms" }
//	timeout = "2s"
//
//	[[service]]
//	name = "api"
//	replicas = 3
//	concurrency = 8                      # requests served at once per instance
//	queue = 100                          # waiting room per instance; overflow is rejected
//	startup = "20s"
//	warmup = { duration = "60s", slowdown = 3.0 }
//	balancer = { layer = "L7", algorithm = "p2c" }
//	autoscaler = { kind = "hpa", metric = "cpu", target = 0.7, min = 3, max = 50 }
//
//	[[assert]]
//	name = "p99 under 250ms"
//	metric = "latency_ms.p99"
//	max = 250
//
// Tables may be written inline (balancer = { ... }) or as sections
// ([service.balancer] after the [[service]] they belong to); TOML treats
// both alike. Keys are case-sensitive. Every key not listed below is an
// error, as is a value of the wrong type.
//
// # Values
//
// Durations are strings of numbers with units: "150ms", "2m", "1h30m",
// "0.5s", "10us", "1d". Units are ns, us (or µs), ms, s, m, h and d (24 h).
// A number without a unit ("5", or the bare TOML number 5) is an error,
// even for zero: write "0s". Durations are never negative.
//
// Names of workloads and services use letters, digits, '_' and '-', and
// are unique within their kind. Rates are floats (an integer is fine) in
// requests per second. Money is in US dollars.
//
// # [sim]
//
//	name       string    label in outputs; default: the file name without ".toml"
//	duration   duration  simulated run length; required, > 0
//	warmup     duration  initial span left out of summary figures; default "0s", < duration,
//	                     a multiple of window
//	window     duration  metrics window, one timeseries row each; default "10s", > 0, <= duration
//	seed       integer   seed of every random stream; default 1, >= 0
//
// # [[workload]]
//
// A stream of client requests sent to one service.
//
//	name          string     required, unique
//	target        string     the name of a [[service]]; required
//	arrival       string     "poisson" (default): random gaps, exponentially distributed;
//	                         "constant": evenly spaced; "trace": replayed from a file;
//	                         "mmpp": Markov-modulated Poisson on/off bursts, see mmpp
//	mmpp          table      { rate_on, rate_off, mean_on, mean_off }: rate_on requests/s for
//	                         exponential spells of mean mean_on, then rate_off for spells
//	                         of mean mean_off (rates >= 0, not both 0; means >= 1ms);
//	                         mean rate (rate_on·mean_on + rate_off·mean_off)/(mean_on +
//	                         mean_off); required iff arrival = "mmpp"; stream
//	                         "workload.NAME.mmpp"
//	rate          float      initial rate, requests per second, >= 0; required and > 0
//	                         unless a schedule gives the rates; not allowed with "trace"
//	schedule      array      rate changes over time, see below; not allowed with "trace"
//	profile       array      diurnal profile: 24 multipliers of rate (finite, >= 0, not all
//	                         0), one per hour of the day from 00:00; the rate is rate ×
//	                         profile[h] for the whole of hour h (piecewise constant, so hour
//	                         h expects rate × profile[h] × 3600 arrivals), repeating every
//	                         24 h; with "poisson" or "constant"; not with schedule
//	profile_start float      the hour of the day at the start of the run, for profile
//	                         (6.5 is 06:30); default 0, 0 <= x < 24
//	trace         string     trace file, see below; required iff arrival = "trace"
//	speed         float      replay the trace this many times faster (2 halves every time);
//	                         default 1, > 0 and at most 1e6; with "trace"
//	loop          bool       replay the trace again and again, pass k shifted by k × its last
//	                         arrival time (which must be > 0); default false; with "trace"
//	service_time  dist       work per request; default: the target service's service_time
//	                         (one of the two must give it)
//	timeout       duration   the client gives up after this long; default none, > 0
//	network       table      connections and round trips, see below; default none
//	lifetime      dist       each arrival opens one long-lived connection living this long
//	                         (websocket, gRPC stream); default none; requires message_rate
//	message_rate  float      requests per second on each long-lived connection (Poisson,
//	                         each with service_time); > 0, required with lifetime
//	keys          integer    each request carries a key drawn from this many values (a
//	                         user, session, client or object id; stream "workload.NAME.keys");
//	                         default none, 1..1000000; required by the keyed balancers
//	zipf          float      draw keys by Zipf's law with this exponent (key k has weight
//	                         1/(k+1)^zipf); default 0 (uniform), 0..10
//	users         integer    closed loop: this many users each send a request, wait for the
//	                         answer or its timeout, think, and repeat; instead of rate,
//	                         schedule, trace and arrival; 1 to 10,000,000
//	think         dist       closed loop: think time between an answer and the next request;
//	                         required with users
//	users_schedule array     closed loop: user count changes, [{ at = duration, users =
//	                         integer }], at strictly increasing and before sim.duration,
//	                         users 0 to 10,000,000; new users start after one think time,
//	                         surplus users leave as they finish their current request
//	retry         table      resend failed attempts, see below; default none
//	breaker       table      client-side circuit breaker, see below; default none
//	hedge         table      hedged requests, see below; default none
//	writes        float      share of its requests that are writes, when its target is a
//	                         database (stream "workload.NAME.writes"); default the
//	                         database's writes, 0 to 1
//	endpoints     array      a mix of endpoints, [{ name, weight, service_time, calls }],
//	                         see below; default none
//	sessions      array      sessions of endpoint requests, [{ name, weight, steps,
//	                         think }], see below; default none; requires endpoints
//	user_ids      integer    open loop: each request (or session) comes from a user drawn
//	                         uniformly from this many (stream "workload.NAME.users");
//	                         default none, 1 to 10,000,000; not with users
//
// endpoints is an array of inline tables { name, weight, service_time,
// calls }: each request asks for one endpoint, drawn by weight (stream
// "workload.NAME.endpoints"). An endpoint's service_time replaces the
// workload's for its requests; its calls (the service calls syntax, below)
// replace the target service's calls for them ([] makes none). name is
// required, unique in the workload, [A-Za-z0-9_.-]+; weight defaults to 1,
// > 0. Per-endpoint figures: timeseries columns SERVICE/ENDPOINT.rps, .ok,
// .errors, .error_ratio, .p50_ms, .p99_ms, and summary.json
// services.SERVICE.endpoints.ENDPOINT { requests, rps, share, latency_ms }
// (client-observed, calls included; SERVICE is the workload's target).
//
// sessions is an array of inline tables { name, weight, steps, think }:
// each arrival of an open loop (rate is then sessions per second) or each
// turn of a closed-loop user starts a session of a kind drawn by weight
// (stream "workload.NAME.sessions"), by one user (user_ids, or a
// replayed trace's users, is required on an open loop). Its steps, 1 to 1000 endpoint names, are requested one
// after another, each one think time (default none) after the previous
// one's answer; a failed step abandons the session. A closed-loop user
// thinks (the workload's think) between sessions. summary.json
// workloads.NAME.sessions { started, completed, abandoned, in_progress }
// counts the sessions started after warm-up.
//
// Requests carry a user id when their workload is a closed loop (its
// users), gives user_ids, or replays a trace giving users. Ids are what an A/B deploy splits on (a hash
// of the user: sticky per user), what deploys[].blast_radius_users counts
// (distinct users; null when some request in the blast radius had none)
// and what a service's sessions = { store = "memory" } sticks to.
//
// A retry table { attempts, backoff, cap, jitter, budget } resends an
// attempt that timed out, was rejected or was lost with its instance:
//
//	attempts  integer   most attempts per request, the first included; default 3, 1 to 100
//	backoff   duration  base b: retry k (from 0) waits min(cap, b·2^k) before jitter;
//	                    default "100ms"
//	cap       duration  largest backoff; default "10s", >= backoff
//	jitter    string    "none": min(cap, b·2^k); "full" (default): uniform in [0, that];
//	                    "equal": half of it plus uniform in [0, half]; "decorrelated":
//	                    min(cap, uniform in [b, 3 × previous sleep]) (AWS Architecture
//	                    Blog, "Exponential Backoff and Jitter")
//	budget    float     retries allowed as a fraction of requests over the last 10 s
//	                    (Finagle RetryBudget, Envoy retry budget); default unlimited; 0 to 100
//
// requests.retries counts the attempts resent; requests.total and the
// outcome counts are per request, after its last attempt. A timed-out
// attempt keeps its server busy (the server is not told), so retries add
// load exactly when the service is slowest. Latency is measured from the
// first attempt. Each workload's backoff jitter draws on the stream
// "workload.NAME.retry", think times on "workload.NAME.think".
//
// A breaker table { failures, open, probes, error_rate, window,
// min_requests } is a client-side circuit breaker (Nygard's "Release
// It!"; Hystrix, resilience4j): after failures consecutive failed
// attempts, or with error_rate when at least that share of the last
// window attempts failed (once min_requests are in), it opens, and for
// open the client fails its requests at once without sending them
// (counted as rejected, and in workloads.NAME.short_circuited); then it
// lets probes requests through (half-open). Consecutive mode closes when
// they all succeed and opens again on a failure; error-rate mode opens
// again when at least error_rate of them failed, else closes with an
// empty window (resilience4j's permittedNumberOfCallsInHalfOpenState).
//
//	failures      integer  consecutive failures that open it; default 5, 1 to 1,000,000;
//	                       not with error_rate
//	open          duration how long it stays open; default "5s", > 0
//	probes        integer  requests let through half-open; default 1, 1 to 1000
//	error_rate    float    error-rate mode: the failure share that opens it, (0, 1]
//	                       (resilience4j's failureRateThreshold, as a fraction)
//	window        integer  attempts the rate is computed over (COUNT_BASED
//	                       slidingWindowSize); default 100, 1 to 100,000
//	min_requests  integer  attempts needed before the rate counts (minimumNumberOfCalls);
//	                       default window, 1 to window
//
// A hedge table { delay, max } sends a copy of a request that has no
// answer delay after it was sent, through the balancer, up to max copies
// delay apart (Dean & Barroso, "The Tail at Scale", 2013); the first
// answer wins, the other copies are left to finish (their servers are
// not told) and their answers dropped. The workload's timeout runs from
// the first send; a copy that fails while another is out is dropped, and
// the request fails when its last copy does. requests.hedges counts the
// copies sent; a copy's service time draws on
// "workload.NAME.hedge.service_time". Not with retry (gRPC allows a retry
// or a hedging policy, not both), network, lifetime, or a function or
// versioned target.
//
//	delay  duration  how long without an answer before a copy; required, > 0
//	max    integer   copies besides the original; default 1, 1 to 10
//
// network = { rtt, protocol, resumption, keep_alive, pool, streams,
// idle_timeout, clients, edge_rtt }: rtt (default "0s") is the round trip
// between a client and what it connects to, the target service's
// balancer. edge_rtt (default "0s": no edge; at most rtt) puts a point of
// presence that far from the client that terminates TCP and TLS and keeps
// warm connections to the origin: handshake round trips then cost
// edge_rtt each while a request still travels rtt in all. A new
// connection pays its protocol's handshake before the first request:
// protocol "tcp" (default) 1 round trip, "tls1.2" 3, "tls1.3" 2, "quic" 1;
// with resumption = true (default false) every connection after a
// client's first resumes: tls1.2 2, tls1.3 1 (0-RTT), quic 0 (0-RTT).
// Then each request and its response cost one round trip, and a request
// on a reused connection only that. keep_alive (default true) keeps
// connections in each client's pool, closing one idle for idle_timeout
// (default "90s", Go's http.Transport; "0s" never); keep_alive = false
// opens one connection per request. pool caps a client's open
// connections (default 0: no cap; requests beyond wait for one); streams
// is how many requests one connection carries at once (default 1,
// HTTP/1.1; more for HTTP/2 and gRPC, whose clients open a second
// connection only when every stream is busy). clients (default 1) is the
// number of clients the arrivals are dealt to in turn, each with its own
// pool. Latency is client-observed: it includes the round trips.
//
// A schedule is an array of inline tables { at, rate, ramp }: from time
// at, the rate moves linearly from the previous rate to rate (req/s, >= 0)
// over ramp (default "0s": a step). at is required, strictly increasing,
// and before sim.duration; a ramp must end by the next entry's at.
//
//	rate = 200
//	schedule = [{ at = "10m", rate = 2000, ramp = "30s" }, { at = "20m", rate = 200 }]
//
// A trace file, at a path relative to the scenario file, holds one arrival
// time per line in seconds from the start of the run, non-decreasing;
// blank lines and '#' comments are ignored. Errors name the trace's line.
// A trace named *.csv has a header line naming its columns, then one
// request per line; a trace named *.jsonl or *.ndjson holds one JSON
// object per line. Their fields, the only ones accepted (any other is an
// error listing these):
//
//	time          seconds from the start of the trace, finite, >= 0, non-decreasing; required
//	service_time  the request's work in seconds (finite, >= 0), replacing a draw from
//	              service_time; empty or absent: drawn
//	key           the request's key, an integer 0 to 999999, read by the keyed balancers
//	              as the keys key's draws are; empty or absent: none
//	user          the request's user id in its workload, an integer 0 to 9999999; empty
//	              or absent: drawn from user_ids if given, else none
//	endpoint      the endpoint it asks for, one of the workload's endpoints (an unknown
//	              name is refused with the trace's line and the nearest name); empty or
//	              absent: drawn by weight
//
// CSV cells are plain numbers or names (no quoting); lines starting with
// '#' are ignored in both. A trace giving users turns user ids on for its
// workload without user_ids (A/B splits, blast_radius_users,
// versions.V.users, memory session stores read them); the workload owns
// max(user_ids, largest user + 1) ids, the trace taking precedence over
// user_ids' draws. A trace giving endpoints needs endpoints and refuses
// sessions; its requests take their endpoint's service_time, calls and
// figures, a record's own service_time still overriding. With lifetime
// each arrival is a long-lived connection, so a trace giving
// service_time, key, user or endpoint is refused there. The run streams the file through a 64 KiB buffer (its
// longest line), one record ahead of the clock, so a trace of any length
// costs the same memory; it is read through once at parse time to check
// it and count its requests.
//
//	time,service_time,key
//	0.013,0.021,4411
//	0.020,,17
//
// # [[service]]
//
// A fleet of identical instances behind a load balancer.
//
//	name           string    required, unique
//	replicas       integer   initial instance count; default 1, >= 0
//	concurrency    integer   requests one instance serves at once; default 1, >= 1
//	queue          integer   waiting room per instance, requests; overflow is rejected;
//	                         default: unbounded; >= 0
//	service_time   dist      default for workloads targeting this service
//	startup        duration  process start time of a new instance, as a constant; default "0s"
//	process_start  dist      the same as a distribution (not together with startup)
//	image_pull     dist      image pull time on the node before the process starts; default none
//	readiness      table     readiness probe { initial_delay = duration (default "0s"),
//	                         period = duration (default "10s"), success_threshold = integer
//	                         (default 1), failure_threshold = integer (default 3),
//	                         timeout = duration (default none) }: probes run every period
//	                         from initial_delay after the container starts (after the pull)
//	                         and succeed once the process is up; after success_threshold
//	                         successes the instance joins the balancer (Kubernetes' defaults
//	                         and semantics). With a timeout, probes keep running on ready
//	                         instances and wait behind queued requests (estimated as queued
//	                         requests × the instance's average service time / slots): after
//	                         failure_threshold consecutive timeouts the instance leaves the
//	                         balancer (still finishing its queue, shown as not ready to the
//	                         autoscaler) and rejoins after success_threshold successes.
//	                         Without a timeout the health endpoint is taken to be served
//	                         outside the request queue and never fails
//	termination_grace duration  a draining instance finishes its work for at most this long,
//	                         then stops and its remaining requests fail; default "30s"
//	cpu, memory    float     cores and GiB one instance requests from its node; default 1, 1
//	cpu_limit      float     cores an instance may use when saturated; default cpu, >= cpu
//	node_pool      string    the [[node_pool]] its instances run on; default: any pool (the
//	                         scheduler considers every pool's nodes, and the cluster
//	                         autoscaler's expander picks which pool grows for them)
//	placement      string    "spread" (default: across zones, then the least allocated
//	                         node, like Kubernetes' default scheduler) or "binpack" (the most
//	                         allocated node that fits)
//	warmup         table     { duration, slowdown }: a freshly ready instance's service
//	                         times are multiplied by slowdown (>= 1, default 1), decaying
//	                         linearly to 1 over duration (default "0s", required if slowdown > 1)
//	slow           table     { instances, factor }: the first instances (default 0) created
//	                         are permanently slower by factor (>= 1, default 1)
//	balancer       table     { layer, algorithm, ... }, see below
//	autoscaler     table     see below; default: none (fixed replicas)
//	cost_per_hour  float     USD per instance-hour; default 0, >= 0
//	max_connection_age        duration  connections are closed this old (±10%); default none
//	max_connection_age_grace  duration  gRPC's grace for requests in flight then; default none
//	rebalance                 bool      GOAWAY down to ⌈mean⌉ connections when an instance becomes ready; default false
//	health_check              table     the balancer's active health checks, see below; default none
//	outlier_detection         table     the balancer's outlier detection, see below; default none
//	versions       [table]   builds of its code, the first running at the start; see
//	                         [[deploy]]; default none
//	chaos_monkey   table     { rate, from, to }: kills ready instances at random, a Poisson
//	                         process of rate kills per hour (> 0) from from (default "0s")
//	                         to to (default the end), each an instance chosen uniformly
//	                         among the ready ones, lost at once and replaced like a crashed
//	                         pod; summary services.NAME.chaos_monkey {kills, recovered,
//	                         mttr_s}; default none
//	platform       string    "instance" (default: billed cost_per_hour), "container" (billed
//	                         per vCPU-second and GB-second of cpu and memory at Fargate
//	                         prices, unless cost_per_hour is given) or "function" (see
//	                         Functions below)
//	arch           string    "x86_64" (default) or "arm64": container and function prices
//	pricing        string    "on_demand" (default: cost_per_hour, or the container table),
//	                         "reserved" (37.5% off: a one-year no-upfront reservation) or
//	                         "spot" (70% off); example discounts read 2025-12, not for
//	                         functions
//	pricing_discount float   replaces that example discount: a share off in [0, 1)
//	spot_interruptions table { rate, warning, from, to }: with pricing = "spot", a
//	                         Poisson process of rate interruptions per hour over the fleet
//	                         (> 0) from from (default "0s") to to (default the end); each
//	                         gives a ready instance, chosen uniformly, warning (default
//	                         "2m", EC2's notice; at most "1h") to drain: it leaves the
//	                         balancer, the fleet starts its replacement, and what it still
//	                         holds at the end fails; summary services.NAME.spot
//	                         {interruptions, requests_lost}; default none
//	calls          array     services an instance calls after its own work, see below;
//	                         default none
//	cache          table     a cache in front of the instances, see below; default none
//	retry_after    duration  the Retry-After its rejections (queue full, no ready instance,
//	                         a function's throttle) and [[fault]] error answers carry: a
//	                         client's or caller's retry then waits max(backoff,
//	                         retry_after); default none, > 0
//	sidecar        table     { latency = duration, cpu = float }: a sidecar proxy (Envoy in
//	                         a mesh). Each request entering the service crosses it both
//	                         ways, and so does each call it makes: a request reaching an
//	                         instance waits 2 × latency for its service's sidecar plus 2 ×
//	                         the caller's latency for a call from a service with one (a
//	                         meshed hop: 4 × latency), before the instance, holding no
//	                         callee slot; service latency figures include it. cpu is vCPU
//	                         per 1,000 requests per second through the proxy (Istio's
//	                         unit), added to the autoscaler's cpu metric as rps × cpu /
//	                         1000 / the cpu request (1 core when none); default none
//	database       table     makes it a database of primaries and read replicas, see below;
//	                         default none
//	flags          array     feature flags, see below; default none
//	sessions       table     where it keeps users' sessions, { store = "memory" |
//	                         "external", service }, see below; default none (stateless)
//
// sessions = { store = "memory" } keeps each user's session in the memory
// of the instance the user was sent to; the balancer is sticky by user (the
// sticky algorithm keyed by the user id; balancer.algorithm must be
// omitted or "sticky", layer L7). An instance that goes away (crash, kill,
// scale-in, drain) loses the sessions it holds: timeseries SERVICE.
// sessions_held (at the window's end) and SERVICE.sessions_lost (in the
// window), summary services.NAME.sessions { store, lost, held_max }. A
// session is held from the user's first request until the user's session
// (a workload's sessions kind) ends; users of workloads without sessions
// keep theirs. sessions = { store = "external", service = "NAME" } makes
// every request call the session-store service NAME once, before its other
// calls (an extra hop; it shows in the edges table), and loses nothing.
//
// calls is an array of inline tables { service, count, parallel, on_error,
// timeout, retry, breaker }.
// After its own work (its service time) an instance makes its calls, each
// through the callee's balancer, and answers when the last returns,
// holding its slot throughout, so a slow callee saturates its callers.
// Consecutive entries with parallel = true are sent at once and awaited
// together; each call of an entry with parallel = false (default) goes
// after the previous one returns. The end-to-end latency (workloads.NAME.
// latency_ms) is the critical path.
//
//	service   string   the [[service]] called; required; it must give service_time
//	                   (the work of each call) and the calls must not loop
//	count     integer  calls made; default 1, 1 to 1000
//	parallel  bool     default false
//	on_error  string   when a call fails (rejected, lost with its instance, or failed by
//	                   its own calls): "fail" (default: the caller's request fails once
//	                   its calls in flight return), "ignore" (carry on with the other
//	                   calls) or "fallback" (skip the remaining calls and answer ok)
//	timeout   duration how long the caller waits for each attempt (the callee keeps
//	                   working on one given up on); default none, > 0
//	retry     table    resends a failed attempt (timed out, rejected, lost, failed), as
//	                   a workload's retry table; jitter on "service.NAME.calls.N.retry"
//	                   (N: the entry's index in calls, from 0); default none
//	breaker   table    the caller's circuit breaker on these calls, as a workload's
//	                   breaker table, one per entry shared by the caller's instances:
//	                   while open calls fail at once; default none
//
//	calls = [{ service = "auth" }, { service = "db", count = 3, parallel = true },
//	         { service = "search", parallel = true }]
//
// summary.json then holds an edges array, one entry per caller → callee
// pair in declaration order: { from, to, calls, errors, error_ratio,
// latency_ms, retries, timeouts, short_circuited } (calls that ended
// after warm-up, after their last attempt; latency of successful calls
// as the caller sees it from their first attempt, queueing included;
// retries and timeouts count attempts; short_circuited the calls an open
// breaker failed at once, also in errors, absent when 0).
//
// cache is an inline table { capacity, keys, zipf, ttl, hit_time }. Each
// request reaching the service carries a key drawn (stream
// "service.NAME.cache.keys") from a Zipf popularity over keys keys: key k
// is asked for with probability ∝ 1/k^zipf. A key cached and fresh is a
// hit, answered after hit_time without an instance; a miss is served by an
// instance as usual and its answer fills the cache, evicting the least
// recently used entry when full (LRU). The hit ratio emerges from capacity
// and skew; Che's approximation predicts it (within 0.2% in the tests).
//
//	capacity  integer   entries held; required, 1 to 1,048,576
//	keys      integer   distinct keys; required, 1 to 1,048,576
//	zipf      float     popularity exponent; default 1.0, 0 (uniform) to 10
//	ttl       duration  an entry is fresh this long after its fill (a hit does not extend
//	                    it; "1s" to "30s" is micro-caching); default: until evicted
//	hit_time  duration  latency of a hit; default "0s"
//	coalesce  bool      concurrent misses of a key wait for the first one's fill instead
//	                    of each reaching an instance (Varnish's request coalescing, Nginx's
//	                    proxy_cache_lock); if that request fails its waiters fail with it
//	                    (Go's singleflight); default false; not for functions
//
// summary.json then holds services.NAME.cache { hit_ratio, hits, misses,
// coalesced, flushes } (lookups of requests sent after warm-up; misses
// include the coalesced ones, and coalesced is null without coalesce). A
// [[fault]] with kind = "cache_flush" empties the cache at its time.
//
// flags is an array of inline tables { name, share, service_time,
// added_latency, error_rate, from, kill_at }, at most 8: from from until
// the kill switch at kill_at, each request an instance starts takes the
// flag's code path with probability share (stream
// "service.NAME.flag.FLAG"; flags are independent), with its costs: its
// service_time replaces the request's, added_latency is added, and
// error_rate of the flagged requests are answered with an error at once
// (failed, a 5xx for outlier detection; the flag's, not the version's).
//
//	name           string    required, unique in the service
//	share          float     share of requests on the path; required, in (0, 1]
//	service_time   dist      the path's service time; default the request's
//	added_latency  duration  added on the path; default "0s"
//	error_rate     float     share of flagged requests failed; default 0, 0 to 1
//	from           duration  when it turns on; default "0s"
//	kill_at        duration  the kill switch; default never, after from
//
// summary.json gains services.NAME.flags.FLAG { requests, errors,
// error_ratio, latency_ms, killed_at_s } (requests answered after warm-up;
// errors is the flag's blast radius) and timeseries.csv SERVICE.flagged_rps
// and SERVICE.flagged_errors (per second, counted when answered).
//
// database is an inline table { writes, write_time, read_replicas, lag,
// shards, shard_by, keys, zipf, pool, pool_timeout } that makes the
// service a database. Its instances are shards × (1 + read_replicas)
// (replicas is set to that), each shard one primary and read_replicas
// replicas, all of concurrency and queue as the service gives them. Each
// request reaching it is a write with probability writes (stream
// "service.NAME.database.writes", or its workload's writes) and, with
// keys, asks for a key drawn from a Zipf popularity (stream
// "service.NAME.database.keys"), whose shard is hash(key) mod shards or,
// by range, the shard of its key range. A write goes to its shard's
// primary, a read to its shard's replicas in turn (to the primary without
// replicas). With a cache, a read asks the cache first (with the
// database's keys) and a write fills it. With a pool, a request then takes
// one of pool connections shared by every caller, or waits for one first
// come first served, failing (rejected) after pool_timeout; it gives the
// connection back when answered. A read a replica answers within lag of
// the commit of the last write to its key is stale. A database has no
// autoscaler, versions, chaos_monkey, spot_interruptions, flags,
// health checks, L4 balancer, node pool or [[fault]]: its instances are
// fixed and addressed by role.
//
//	writes         float     share of requests that are writes; default 0, 0 to 1
//	write_time     dist      service time of a write; default the request's own
//	read_replicas  integer   read replicas per shard; default 0, 0 to 100
//	lag            duration  replication lag; default "0s"
//	shards         integer   default 1, 1 to 1024; more than 1 needs keys
//	shard_by       string    "hash" (default) or "range" (equal key ranges: the popular
//	                         keys share the first shard, a hot shard)
//	keys           integer   distinct keys; default the cache's keys, or none (no
//	                         sharding, no stale-read figures); at most 1,048,576
//	zipf           float     key popularity exponent; default the cache's, or 1.0; 0 to 10
//	pool           integer   connections shared by its callers; default none, 1 to 1,000,000
//	pool_timeout   duration  a request waiting this long for a connection fails; default
//	                         none (it waits on); needs pool
//
// summary.json then holds services.NAME.database { reads, writes,
// write_ratio, shards, read_replicas, replication_lag_ms, stale_reads,
// stale_read_ratio (null without keys), shard_requests (one per shard),
// hot_shard_share (the busiest shard's share), shard_imbalance (that ×
// shards), primary_utilization, replica_utilization, pool { size,
// wait_probability, wait_ms_mean, timeouts, queue_max } } (requests sent
// after warm-up).
//
// Keys of a function (platform = "function"; an error on other services):
//
//	memory         float     the function's memory in GiB (0.5 = 512 MB), 0.125 to 10
//	concurrency    integer   requests one execution environment serves at once; default 1
//	runtime        string    cold_start preset: "nodejs", "python", "go" (lognormal, mean
//	                         250 ms, p99 700 ms) or "java" (mean 1.5 s, p99 4 s)
//	cold_start     dist      init duration of a new environment; default the runtime
//	                         preset, or instant
//	keep_alive     duration  an idle environment is reclaimed after it; default "10m"
//	keep_alive_dist  dist    instead of keep_alive: a distribution drawn each time an
//	                         environment falls idle (stream service.NAME.keep_alive), e.g.
//	                         { dist = "uniform", min = "5m", max = "7m" }
//	concurrency_limit integer  environments at most (account concurrency, or the
//	                         function's reserved concurrency); default 1000
//	provisioned    integer   provisioned concurrency: environments initialised from the
//	                         start, never reclaimed; default 0, <= concurrency_limit
//	provisioned_schedule  array  [{ at = duration, count = integer }]: provisioned
//	                         concurrency becomes count at at (scheduled actions); added
//	                         environments are ready at at, surplus ones leave when idle
//	timeout        duration  the function's timeout: longer invocations fail; default "3s",
//	                         at most "15m"
//	throttle_retry table     { retries = integer (1 to 10000), backoff = duration (> 0) },
//	                         both required: a throttled request is resent after backoff,
//	                         up to retries times; default none (throttled = rejected)
//
// replicas, queue, startup, readiness, autoscaler and node_pool do not
// apply to a function; cost_per_hour must not be given.
//
// balancer.layer is "L7" (default: the balancer terminates the clients'
// connections and picks an instance per request) or "L4" (it picks once
// per connection and every request on it goes there; a workload without
// a network table then opens one connection per request). A long-lived
// connection is pinned to one instance at either layer. Connection picks
// see open connections per instance, so "least_outstanding" is least
// connections there. max_connection_age (default none) closes a
// connection that old, jittered by ±10% as gRPC's MaxConnectionAge, and
// its client reconnects through the balancer at once;
// max_connection_age_grace (gRPC's MaxConnectionAgeGrace) bounds the
// requests in flight on a keep-alive connection at that moment: those
// still in flight at GOAWAY + grace fail (long-lived sessions' messages
// are not bound to the connection and always finish).
// rebalance = true (default false) drains and rebalances on scale-out:
// when an instance becomes ready, every instance holding more pinned
// connections than ⌈mean⌉ over the ready instances sends GOAWAY on just
// enough of them to come down to ⌈mean⌉, and their clients reconnect
// through the balancer at once, as at max_connection_age; instances
// ready at the same instant are rebalanced once. With least_outstanding
// the reconnects land on the emptiest instances and the fleet ends even.
// balancer.algorithm is one of:
//
//	"round_robin"           in turn (default)
//	"weighted_round_robin"  Envoy's EDF schedule over weights (and slow start)
//	"random"                uniformly at random
//	"least_outstanding"     fewest requests in flight; ties to the least recently picked
//	"least_connections"     the same pick on connection counts (L4); at L7, least_outstanding
//	"p2c"                   Envoy's least request: the fewest in flight of choice_count draws
//	                        with replacement; weight / (active + 1)^active_request_bias on an
//	                        EDF schedule when weights differ (weights, slow start)
//	"weighted_response_time" random, weighted by 1 / EWMA of observed response times,
//	                        failures included
//	"ring_hash"             Envoy's ketama ring on the request key; bounded_load optional
//	"maglev"                Maglev table lookup on the request key; bounded_load optional
//	"sticky"                session cookie: a key's first request round robin, the rest to
//	                        the same instance until it leaves
//	"dns"                   the key is a client that resolves once per ttl and keeps its
//	                        answer, even a stale one (its requests then fail)
//	"subset"                the key is a client connected to subset_size instances (random
//	                        or deterministic aperture), p2c within them
//
// The other balancer keys each apply to some algorithms only (an error
// with any other): choice_count (2) and active_request_bias (1.0) to p2c;
// weights, slow_start_window (none), aggression (1.0) and
// min_weight_percent (10) to weighted_round_robin and p2c; ring_size
// (1024) to ring_hash; table_size (65537, a prime) to maglev; bounded_load
// (c > 1, none) to both hashes; ttl ("30s") to dns; subset_size (3) and
// aperture ("random" or "deterministic") to subset. The keyed algorithms
// (ring_hash, maglev, sticky, dns, subset) need workload keys.
//
// The balancer as a component: capacity (requests one balancer node holds
// at once, in flight to the instances; beyond it arrivals are refused;
// default 0, no limit), latency (its own time, added to every request's
// round trip; default "0s"), standby ("none" default, "active_passive",
// "active_active") and failover (default "3s", with a standby). A
// [[fault]] with component = "balancer" crashes balancer nodes: without a
// standby every request is lost until the node is repaired (the fault's
// duration); active_passive loses the requests in flight and those sent
// during failover, while the standby takes over the floating address;
// active_active (two nodes, each with capacity) loses the failed node's
// share of those, then runs on half the capacity. Lost requests fail and
// are counted in services.NAME.lost_to_balancer.
//
// # Instance lifecycle
//
// The initial replicas are ready and warm at time 0. An instance added
// later is Pending until a node has room for its cpu and memory (only
// when the scenario has node pools), then Starting: image pull, process
// start, readiness probe; then Ready: it joins the balancer, slowed by
// warmup while it warms. Scaled in, an instance drains: it leaves the
// balancer at once and finishes its queued and running requests within
// termination_grace. The instances removed first are chosen in Kubernetes'
// ReplicaSet order: not yet on a node, then Pending (pulling the image),
// then not ready, then those sharing a node with more of the service's
// instances, then the most recently ready and the most recently created,
// compared in power-of-two buckets of age (LogarithmicScaleDown), ties
// broken by a deterministic stand-in for the pod UID.
//
// # Functions
//
// A function runs each request in an execution environment, as AWS Lambda
// does. A request that finds no environment with a free slot starts one:
// a cold start (cold_start), counted in cold_starts. Free environments are
// reused most recently released first, and reclaimed after keep_alive
// idle. Lambda's limits apply: at most 1,000 new environments per 10 s per
// function (refilled continuously), at most concurrency_limit
// environments; a request over either is throttled (HTTP 429, counted in
// throttles) and resent per throttle_retry, or rejected. Provisioned
// environments take requests first. Billing uses the built-in us-east-1
// price table (package cost): duration rounded up to the millisecond
// (init included) × memory, plus $0.20 per million requests, plus
// provisioned concurrency per GB-second configured.
//
// # Autoscaler
//
// The autoscaler runs every sync_period (default "15s"). It sees each
// instance's phase and readiness as they are at the sync (Pending while
// waiting for a node or pulling its image, Running ready or not ready,
// Terminating while draining) and metrics the pipeline collects every
// metrics_resolution (default "15s", metrics-server's), half a resolution
// out of step with the syncs, and delivers metric_delay later: a sample is
// about half a resolution old, plus the delay, when the policy reads it.
// cpu is busy slots over slots during the collection window, times
// cpu_limit / cpu (above 1 for a saturated instance allowed to burst past
// its request); rps is requests routed to the instance per second;
// in_flight is requests queued or in service on the instance at the
// collection; connections is the connections pinned to the instance (L4
// or long-lived) at the collection; queue is the service's total waiting requests (an external
// metric, KEDA-style). An instance has no sample until its process has
// run for a whole window, ready or not, and no sample is not a sample of
// zero: before the first collection is visible an HPA holds the replica
// count (FailedGetResourceMetric, FailedGetExternalMetric).
//
//	kind = "hpa"              Kubernetes HPA, autoscaling/v2 semantics (see
//	                          sim/policies/autoscale): target default 0.8 for cpu,
//	                          tolerance 0.1, not-ready pods counted as 0% when scaling up,
//	                          missing metrics as 100% when scaling down. Without behavior,
//	                          Kubernetes' legacy normalisation: scale-down stabilised over
//	                          5 minutes, scale-up capped at max(2 × current, 4) per sync;
//	                          with behavior, its policies and stabilisation windows, unset
//	                          fields taking the API defaults. A schedule adds scheduled
//	                          bounds (see "scheduled").
//	kind = "target_tracking"  AWS target tracking on CloudWatch-style alarms (see below):
//	                          scale out to ceil(current × metric / target) once 3
//	                          consecutive datapoints are above target, scale in the same
//	                          way once 15 are below 0.9 × target; cooldown (default 300s)
//	                          after scale-out and scale-in; instances warming (service
//	                          warmup.duration) are left out of the metric.
//	kind = "step"             AWS step scaling: steps are bounds relative to target (the
//	                          alarm threshold); positive adjust steps form an alarm on
//	                          metric >= target, the others one on metric < target, each
//	                          in ALARM when datapoints_to_alarm of the newest
//	                          evaluation_periods datapoints breach (default 1 of 1);
//	                          the step holding the newest datapoint applies; cooldown
//	                          default 300s.
//	kind = "scheduled"        schedule entries set min, max and, once, desired at their at.
//	kind = "predictive"       the HPA plus a forecast: the load seen one period earlier
//	                          (default 24h), lead ahead (default 5m), times 1 + headroom
//	                          (default 0.1);
//	                          never below what the HPA wants.
//	kind = "external"         your own program; see sim/policies/external for the protocol.
//
// The AWS kinds act on alarms, not on each sync. The metric each sync sees
// (averaged over counted instances) is averaged into CloudWatch-style
// datapoints of alarm_period (default "1m"): a datapoint covers (end -
// period, end] and holds the syncs in it, so with 15 s syncs the first
// minute's datapoint averages the syncs at 15, 30, 45 and 60 s and is
// complete at the 60 s sync. Alarms are evaluated when a datapoint
// completes; a period without a usable metric is a missing datapoint,
// which never breaches. An alarm in ALARM invokes its policy when it
// enters ALARM and then once a minute while it stays there (AWS: "an
// alarm invokes an Auto Scaling action once each minute"); between
// invocations the replica count is held (reason AlarmWait). So target
// tracking first scales out at the sync completing the third breaching
// minute (t = 180 s for a breach from the start) and first scales in
// after 15 low minutes. Reasons: InsufficientData (no datapoint yet),
// AlarmPending (the newest datapoint breaches, too few for ALARM),
// NearTarget / NoAlarm (no breach).
//
// Keys:
//
//	kind          string    "hpa", "target_tracking", "step", "scheduled", "predictive",
//	                        "external" or "none"; required
//	metric        string    "cpu" (utilization, 0..1), "rps" (req/s per instance),
//	                        "in_flight" (requests queued or in service, per instance),
//	                        "connections" (open pinned connections, per instance) or
//	                        "queue" (requests waiting in the whole service; hpa and
//	                        target_tracking divide it by the instances, step compares
//	                        the total)
//	target        float     desired metric value per instance (step: the alarm
//	                        threshold); > 0. A cpu target is a fraction (0.6 for 60%)
//	                        and at most 1, or at most cpu_limit / cpu when the
//	                        service's cpu_limit is above its cpu (Kubernetes allows
//	                        averageUtilization above 100 for the same reason)
//	min, max      integer   replica bounds; 0 <= min <= max
//	sync_period   duration  how often the policy runs; default "15s"
//	metrics_resolution duration how often instance metrics are collected; default "15s"
//	tolerance     float     relative deviation ignored (HPA: 0.1); >= 0
//	behavior      table     HPA scaling limits: { scale_up, scale_down }, each
//	                        { stabilization_window = duration, select_policy = "Max" | "Min" |
//	                        "Disabled", policies = [{ type = "Pods" | "Percent",
//	                        value = integer > 0, period = duration > 0 }] }
//	metric_delay  duration  extra delay before a scrape reaches the policy; default "0s"
//	cooldown      duration  minimum time between scaling actions
//	steps         array     step scaling: [{ lower = float, upper = float, adjust = integer }];
//	                        a bound may be omitted (unbounded); lower < upper
//	alarm_period  duration  target_tracking and step: CloudWatch datapoint period;
//	                        default "1m"; "10s", "20s", "30s" or a multiple of "1m",
//	                        at most "1m" for target_tracking
//	evaluation_periods integer step: datapoints each alarm evaluates; default 1; >= 1,
//	                        evaluation_periods × alarm_period at most 24h
//	datapoints_to_alarm integer step: how many of them must breach for ALARM;
//	                        default evaluation_periods; 1..evaluation_periods
//	schedule      array     scheduled capacity: [{ at = duration, min, max, desired = integer }],
//	                        at strictly increasing
//	period        duration  seasonality of a predictive policy
//	headroom      float     extra capacity kept by a predictive policy (0.2 = 20%); >= 0
//	lead          duration  how far ahead a predictive policy scales
//	command       array     external policy: program and arguments; required for "external"
//	timeout       duration  bound on one external policy call
//
// # [[node_pool]]
//
// Optional. Without node pools instances need no node and start at once.
// With them, a scheduler places each new instance on a node of its
// service's pool (any pool when the service names none) with room for its
// cpu and memory requests, and a cluster autoscaler (modelled on
// Kubernetes' cluster-autoscaler; cluster-wide settings in
// [cluster_autoscaler]) scans the cluster every scan_interval:
//
//   - Scale-up: pending instances that no ready or provisioning node has
//     room for make it grow one pool per scan, by as many nodes as
//     first-fit-decreasing packing needs (up to max); the expander picks
//     the pool when several could host them. Nodes become ready after
//     provision. Pools under min are topped up.
//
//   - Scale-down: a ready node is unneeded while its requested CPU and
//     memory are both under scale_down_utilization and each of its
//     instances fits, one by one, on another node's free room (first fit,
//     counting what earlier instances and earlier unneeded nodes took).
//     Nodes unneeded for scale_down_unneeded are removed — never below
//     min, and not within scale_down_delay_after_add of a scale-up of any
//     pool, though the unneeded timers keep running meanwhile. Up to
//     max_empty_bulk_delete empty nodes go in one scan; a non-empty node
//     goes alone, its instances drained and replaced elsewhere.
//
// Keys:
//
//	name                      string    required, unique, not a service's name
//	cpu, memory               float     allocatable cores and GiB per node; default 4, 16
//	nodes                     integer   ready nodes at the start; default min, or 1
//	min, max                  integer   node count bounds; default nodes, nodes (max > min
//	                                    turns the cluster autoscaler on)
//	zones                     array     zone names; nodes are spread over them in turn
//	region                    string    the region of the pool's zones, taken out at once by a
//	                                    region [[fault]]; default none; a zone is in one region
//	provision                 dist      time from request to a ready node; default 90s
//	scale_down_unneeded       duration  default "10m" (--scale-down-unneeded-time)
//	scale_down_utilization    float     default 0.5 (--scale-down-utilization-threshold)
//	cost_per_hour             float     USD per node-hour; default 0
//	failures                  array     [{ at = duration, count = integer (default 1) }]: the
//	                                    oldest ready nodes crash; their instances' requests
//	                                    fail and the services replace them
//	dedicated                 bool      only services naming the pool in node_pool run on it
//	                                    (a taint they tolerate): services without node_pool
//	                                    are neither placed on it nor grow it; default false
//
// # [cluster_autoscaler]
//
// Optional: the cluster autoscaler's cluster-wide settings, which act when
// there are node pools. Each is a cluster-autoscaler flag with its default,
// except expander (cluster-autoscaler defaults to random).
//
//	scan_interval              duration  loop period; default "10s" (--scan-interval)
//	scale_down_delay_after_add duration  after a scale-up of any pool, no node of any pool
//	                                     is removed for this long; default "10m"
//	                                     (--scale-down-delay-after-add)
//	expander                   string    how the pool to grow is picked when several could
//	                                     host pending instances (--expander): "least-waste"
//	                                     (default: the least idle CPU fraction on the new
//	                                     nodes, then the least idle memory, then the first
//	                                     pool) or "random" (on the run's
//	                                     "cluster-autoscaler.expander" random stream)
//	max_empty_bulk_delete      integer   most empty nodes removed in one scan; default 10
//	                                     (--max-empty-bulk-delete)
//
// The expander matters only for instances that could go to more than one
// pool: those of services without node_pool, in a scenario with several
// pools. A service bound to a pool only ever grows that pool.
//
// # Distributions (dist)
//
// service_time is an inline table naming a family in dist and exactly one
// of its parameter sets. Times are durations; mu and sigma are in ln(seconds).
//
//	{ dist = "constant", value = "10ms" }                  (mean = also accepted)
//	{ dist = "exponential", mean = "50ms" }
//	{ dist = "lognormal", mean = "40ms", p99 = "120ms" }   0 < mean < p99 <= 14.97 × mean
//	{ dist = "lognormal", mu = -3.2, sigma = 0.5 }         sigma > 0
//	{ dist = "gamma", mean = "20ms", shape = 2.0 }         shape > 0
//	{ dist = "erlang", mean = "20ms", k = 3 }              k >= 1 phases
//	{ dist = "pareto", alpha = 2.5, xm = "2ms" }           xm = minimum > 0, alpha > 0
//	{ dist = "pareto", alpha = 2.5, mean = "5ms" }         alpha > 1 (xm = mean·(alpha-1)/alpha)
//	{ dist = "uniform", min = "5ms", max = "15ms" }        0 <= min < max
//
// Means must be > 0 except for constant.
//
// # Health checks and outlier detection
//
// health_check = { interval, timeout, unhealthy_threshold,
// healthy_threshold } is Envoy's active health checking, and like Envoy
// needs all four: a check goes to each instance interval after the
// previous check's result; a crashed instance refuses at once, a hung one
// fails when timeout expires; unhealthy_threshold consecutive failures
// take the instance out of the balancer's rotation and healthy_threshold
// successes bring it back. outlier_detection = { consecutive_5xx,
// interval, base_ejection_time, max_ejection_percent, max_ejection_time }
// is Envoy's passive detection, with Envoy's defaults (5, "10s", "30s",
// 10, "300s"): an instance is ejected at once on its consecutive_5xx-th
// consecutive 5xx (a refused request counts), if no more than
// max_ejection_percent of the instances would then be out (one may always
// be), and returns on the first interval tick after base_ejection_time ×
// the times it was ejected, at most max_ejection_time. Without either, the
// balancer learns of a crash at once (Kubernetes sees the container exit);
// with them, a crashed instance stays in rotation until noticed, and the
// requests it is sent meanwhile fail (services.NAME.lost_to_dead).
//
// # [[fault]]
//
// Instances of a service go wrong at a given time.
//
//	name        string    labels the fault's random stream; default "fault-N"
//	service     string    the [[service]] hit; required, except for node, zone and region
//	pool        string    node: the [[node_pool]] hit; required for node only
//	zone        string    zone: the zone taken out, one of the node pools' zones; required
//	                      for zone only
//	at          duration  when it starts; required, before sim.duration
//	kind        string    "crash": the process dies, requests on it fail, its connections
//	                      reset, the fleet starts a replacement; "hang": it accepts
//	                      requests and answers none until the fault ends (clients time
//	                      out); "errors": it answers a share error_rate of requests with
//	                      a fast 5xx; "slow": its service times are multiplied by factor;
//	                      "node": instances ready nodes of pool crash, the oldest first,
//	                      with every instance on them; "zone": every node in zone crashes
//	                      with its instances, none is placed there until the fault ends,
//	                      then the pools provision the lost nodes there again;
//	                      "cache_flush": the service's cache is emptied (instantaneous);
//	                      "region": every zone of region goes down as in zone, and until
//	                      failover each client request to a service is lost (fails at
//	                      once) with probability the share of the service's ready
//	                      instances that were in the region (DNS still answering with it)
//	instances   integer   ready instances hit, the longest-running first (node: ready
//	                      nodes); default 1; not for zone, region, cache_flush or a call
//	share       float     instead of instances: that share of the ready instances, rounded
//	                      up (a bad push to part of the fleet), in (0, 1]; crash, hang,
//	                      errors and slow
//	latency     duration  errors: the time an error takes; "0s" (default) answers at once
//	                      without taking a slot, above 0 the instance serves the request
//	                      that long and fails it, and the balancer sees that response time
//	                      (a fast-failing instance); on a call: the delay (slow, required)
//	                      or the time an aborted call takes (errors)
//	call        string    a service the service calls: errors and slow then hit the calls on
//	                      that edge (Envoy's fault injection) instead of instances; errors
//	                      aborts error_rate of the calls with a 5xx, slow delays every call
//	                      by latency before it reaches the callee
//	region      string    region: one of the node pools' regions; required for region only
//	failover    duration  region: how long clients keep sending to the failed region (health
//	                      checks noticing plus the DNS TTL); default "90s"
//	duration    duration  how long hang, errors, slow, zone and region last; default: to the end
//	error_rate  float     errors: the share answered 5xx, in (0, 1]
//	factor      float     slow: the service-time multiplier, > 0
//	component   string    "instances" (default) or "balancer": a crash of instances (1 or 2)
//	                      of the service's balancer nodes, repaired after duration
//	                      (default never); see the service's balancer
//
// # [[neighbour]]
//
// A noisy neighbour: a heavy workload (a batch job, another tenant's
// burstable pod, a daemon) running on every node of a pool for a while.
// It requests nothing from the scheduler; its pressure on a node is
// u = min(1, cpu / the pool's node cpu), and while it runs the service
// times of the instances on its nodes — those placed during the spell
// too — are multiplied by 1 + sensitivity × u: a linear sensitivity
// curve (Mars et al., "Bubble-Up", MICRO 2011: the degradation of
// co-located work grows with the pressure on the shared cache and memory
// bandwidth, which CPU requests do not partition). Requests already in
// service finish at their starting speed; several neighbours on a pool
// compound. The fix is placement: a service with node_pool naming
// another pool, dedicated = true keeping others off it, is untouched.
//
//	name         string    required, unique
//	pool         string    the [[node_pool]] it runs on; required
//	cpu          float     cores it keeps busy on each node; required, > 0, at most 1e6
//	sensitivity  float     k in 1 + k × u; default 1, 0 to 100 (CPI² measured victims
//	                       slowed 1.5–3× under antagonists)
//	at           duration  when it starts; default "0s", before sim.duration
//	duration     duration  how long it runs; default: to the end
//
// # [[deploy]]
//
// A service may declare versions, builds of its code, and [[deploy]]
// entries move it from one to another during the run. Each version is
//
//	name           string    required, unique in the service; columns are SERVICE@NAME.METRIC
//	service_time   dist      replaces the workload's service time on this version; default
//	                         the workload's
//	added_latency  duration  added to every service time on this version; default "0s"
//	error_rate     float     share of its requests answered with an error at once (counted
//	                         failed), 0 to 1; default 0
//	never_ready    boolean   its instances start but never pass their readiness probe;
//	                         default false
//	crash_after    duration  each instance crashes after it has been ready this long (the
//	                         initial fleet: from the start) and is replaced by the same
//	                         version, which crashes again: a crash loop; default none
//	leak           table     a memory leak { rate, limit }: service times × (1 + rate × hours
//	                         of uptime), rate > 0; at the factor limit (> 1; default none)
//	                         the instance is OOM-killed and replaced like a crash
//
// Requests lost with a version's crashed instance count as its errors (in
// its figures, the judge's and the blast radius). summary.json gains
// services.NAME.versions.VERSION.crashes and .oom_kills for versions with
// crash_after or a leak limit.
//
// and each [[deploy]] entry is
//
//	service            string    the service; required, with versions
//	at                 duration  when it starts; required, < sim.duration; a service's
//	                             deploys in time order, a later one supersedes a running one
//	version            string    the version deployed; required
//	strategy           string    "rolling" (default), "blue_green", "canary", "ab", "shadow"
//	max_surge          int|"N%"  rolling: instances above the replicas; percentages round
//	                             up; default "25%"
//	max_unavailable    int|"N%"  rolling: instances below the replicas; percentages round
//	                             down, at most 100%; not 0 when max_surge is 0; both
//	                             resolving to 0 makes it 1; default "25%"
//	min_ready          duration  an instance is available once ready this long; default "0s"
//	progress_deadline  duration  no progress for this long fails the deploy; default "10m",
//	                             "0s" for never
//	rollback           boolean   a failed rolling deploy rolls back; default false
//	steps              [table]   canary, ab, shadow: [{ weight, pause }], weight the percent
//	                             of traffic (> 0, <= 100), pause how long the step runs before
//	                             its analysis (> 0); required for those strategies
//	rollback_window    duration  blue_green: how long blue stays after the switch; default "10m"
//	analysis           table     the judge: { threshold (passing score 0-100, default 95),
//	                             error_z (default 2.326), latency_ratio (default 1.2),
//	                             min_requests (default 50), interval (blue_green, default "1m") }
//	slo                duration  a success of the new version slower than this counts in
//	                             the blast radius; default "0s" (errors and timeouts only)
//
// Strategies, as the models implement them (sim/models/deploy.go):
// "rolling" is Kubernetes' Deployment controller, resyncing at every
// change of the fleet: new instances are added while counted instances
// (pending, starting, ready; draining ones excluded) stay within
// replicas + max_surge, old ones removed while available instances stay
// at or above replicas - max_unavailable. "blue_green" starts a full green
// fleet out of the balancer, switches all traffic when all of it is
// available, keeps blue idle for rollback_window and judges green against
// blue's figures before the switch every analysis.interval; a failure
// switches back. "canary" runs its steps with the weight approximated by
// replica counts (ceil(replicas × weight / 100) canary instances, as Argo
// Rollouts does without a traffic router), judges canary against baseline
// after each pause and aborts to 100% baseline on a failure, promoting
// after the last step. "ab" runs the same steps with each request sent to
// a side by a sticky hash of its key; the workloads carry no user ids, so
// the key is drawn per request on the stream "deploy.N.keys". "shadow"
// mirrors weight% of requests to a shadow fleet of the new version whose
// responses are discarded (extra load, no user exposed), then promotes or
// discards it on the judge's verdict. The judge scores error rate (a
// one-sided two-proportion z-test) and p99 latency (a ratio), each Pass or
// High, as the percentage passing (Kayenta's equal-weight score). While a
// deploy runs, an autoscaler's decisions only set the desired count,
// applied when the deploy ends.
//
// For example, the same release under three strategies as [[variant]]s:
//
//	[[service]]
//	name = "api"
//	versions = [{ name = "v1" }, { name = "v2", error_rate = 0.05 }]
//
//	[[deploy]]
//	service = "api"
//	at = "5m"
//	version = "v2"
//	steps = [{ weight = 10, pause = "5m" }, { weight = 50, pause = "5m" }]
//
//	[[variant]]
//	name = "canary"
//	set = ["deploy.0.strategy=canary"]
//
// # [[assert]]
//
// A check after the run; `clustersim check` fails when one does not hold.
// A summary assertion bounds a summary.json figure:
//
//	name    string  what is checked; required
//	metric  string  dotted path into summary.json, such as "latency_ms.p99",
//	                "requests.error_ratio", "services.api.error_ratio"... see below
//	min     float   lowest passing value
//	max     float   highest passing value; at least one of min and max, min <= max
//	variant string  the [[variant]] it applies to; default: every variant
//	                (or the run, in a scenario without variants)
//
// Paths name any number in summary.json: "latency_ms.p99",
// "requests.rejected", "requests.error_ratio" (errors / total, 0 to 1,
// where errors = rejected + timeouts + failed), "services.api.replicas.max",
// "services.api.requests.error_ratio", "services.api.latency_ms.worst_window_p99"
// (the largest window p99 after warm-up), "workloads.shoppers.requests.error_ratio".
//
// A windowed assertion bounds an aggregate of a timeseries.csv column over
// a time range instead; series and metric are mutually exclusive:
//
//	series  string    timeseries.csv column, SERVICE.METRIC or POOL.METRIC,
//	                  such as "api.p99_ms" or "api.error_ratio"
//	from    duration  start of the range; default the end of warm-up
//	to      duration  end of the range; default the end of the run; from < to
//	agg     string    "max" | "min" | "mean" | "last"; required. mean is the
//	                  unweighted mean of the window values, last the latest
//	                  window's value
//
// A window counts when it lies wholly within [from, to].
//
//	[[assert]]
//	name = "p99 under 300 ms in every window after the ramp"
//	series = "api.p99_ms"
//	from = "5m"
//	to = "30m"
//	agg = "max"
//	max = 300
//
// Missing figures never pass. A latency figure with no successful request
// (p99 when every request was rejected or timed out) and an error ratio
// with no request are null in summary.json, and an assertion on one fails
// with "missing (no successful requests)" or "missing (no requests)". A
// window with no value (an empty field in timeseries.csv) is skipped by
// every aggregate; when no window in the range has a value, the assertion
// fails saying so: "missing (no successful requests in any of 150
// windows from 5m to 30m)".
//
// # Overrides (--set)
//
// `--set KEY=VALUE` changes one key after the file is read and before it
// is checked. KEY is a dotted path that names array entries by their name
// (quote names that are not bare keys) and other arrays' entries by index
// from 0; VALUE is a TOML value, and strings and durations need no quotes:
//
//	--set sim.duration=1h
//	--set service.api.replicas=5
//	--set workload.shoppers.rate=300
//	--set service.api.autoscaler.target=0.4
//	--set service.api.balancer.algorithm=p2c
//	--set workload.shoppers.schedule.0.rate=1500
//	--set 'service.api.warmup={duration="30s", slowdown=2.0}'
//	--set 'assert."p99 under 250ms".max=300'
//
// A table value replaces the whole table. Setting a key inside a table the
// file leaves out (such as the autoscaler) creates it.
//
// # [[variant]]
//
// Optional: named configurations compared on the same traffic. A scenario
// with variants runs once per variant, in file order, each with the
// command line's overrides and then the variant's own applied; all share
// the seed and, since random streams are named after components
// ("workload.NAME.arrivals", "workload.NAME.service_time", ...), draw the
// same arrivals and service times whatever their policies do (common
// random numbers). `clustersim run` writes each variant's outputs to
// OUT/NAME/ and compares them in OUT/compare.csv and OUT/compare.html;
// `clustersim check` evaluates the assertions per variant. Each variant's
// run is named "SCENARIO/NAME" in its summary unless its set names one.
//
//	name  string    the variant, and its output folder; required, unique,
//	                letters, digits, '_' and '-'
//	set   [string]  overrides in the --set syntax ("KEY=VALUE"), checked
//	                exactly as --set is; default none (the file as written)
//
// For example:
//
//	[[variant]]
//	name = "hpa70"
//
//	[[variant]]
//	name = "prescale"
//	set = ["service.api.autoscaler.min=14", 'service.api.balancer={ algorithm = "p2c" }']
//
// To keep the variants paired, set may not change sim.seed, sim.duration,
// sim.warmup, sim.window, the variants, or the name of any entry (ErrVariant).
// A variant that changes a workload is accepted but no longer sees the same
// traffic. An error in a set entry names the file, the entry's line and
// variant.NAME.set[I]; any other error found in a variant says "in variant
// NAME".
//
// # Errors
//
// Parse reports every problem at once, as an [ErrorList] sorted by line,
// each naming the file, line, column and key, with a suggestion where one
// helps:
//
//	scenarios/x.toml:12:1: service.api.concurency: unknown key (did you mean "concurrency"?)
//	scenarios/x.toml:14:1: workload.shoppers.target: no service named "apii" (did you mean "api"?)
//	--set service.apii.replicas=5: no service named "apii" (did you mean "api"?)
//
// Each [Error] wraps a sentinel (ErrSyntax, ErrUnknownKey, ErrType,
// ErrMissing, ErrInvalid, ErrReference, ErrOverride, ErrVariant) for
// errors.Is.
//
// # Limits
//
// A scenario is untrusted input. Integers must fit in ±2,147,483,647,
// other numbers in ±10¹⁵; arrays and inline tables nest at most 64 deep;
// names hold no control characters; a predictive period needs at most
// 2²⁰ history slots. [Limits] adds what depends on the machine: the file
// size (LoadWith reads only regular files), the instances and nodes a
// scenario may create, the engine events it is estimated to need (see
// [Cost]) and whether trace paths may leave the scenario's folder. Load
// and Parse apply [DefaultLimits]; the command-line flags that raise them
// are listed in the README ("Limits and guarantees").
package scenario
