package scenario

import (
	"github.com/clustersim/clustersim/sim/dist"
	"github.com/clustersim/clustersim/sim/engine"
	"github.com/clustersim/clustersim/sim/models"
	"github.com/clustersim/clustersim/sim/tomlpos"
)

// ShardBy is how a database maps keys to shards: "hash" (hash of the key
// mod shards: popular keys spread out) or "range" (equal contiguous key
// ranges: the most popular keys share the first shard, a hot shard).
type ShardBy string

// Database makes a service a database: its instances are shards × (1 +
// read_replicas), each shard one primary, which takes the shard's writes,
// and read_replicas read replicas, which take its reads in turn, behind a
// pool of pool connections its callers share.
type Database struct {
	// Writes is the share of requests that are writes (drawn per request
	// on "service.NAME.database.writes"); default 0, 0 to 1. A workload's
	// own writes replaces it for that workload's requests.
	Writes float64 `toml:"writes"`
	// WriteTime is the service time of a write (a distribution, drawn on
	// "service.NAME.database.write_time"); default the request's own.
	WriteTime *Dist `toml:"write_time,omitempty"`
	// ReadReplicas is the read replicas of each shard; default 0 (the
	// primary takes the reads), 0 to 100.
	ReadReplicas int `toml:"read_replicas"`
	// Lag is the replication lag, nanoseconds: a write reaches the
	// replicas this long after its primary commits it; a read a replica
	// answers sooner after a write to its key is stale. Default 0.
	Lag Duration `toml:"lag,omitzero"`
	// Shards splits the keys over this many primaries (each with its
	// replicas); default 1, 1 to 1024; more than 1 needs keys.
	Shards int `toml:"shards"`
	// ShardBy is "hash" (default) or "range".
	ShardBy ShardBy `toml:"shard_by"`
	// Keys is the number of distinct keys requests ask for (drawn on
	// "service.NAME.database.keys" from a Zipf popularity); default the
	// service's cache's keys, or 0: no keys (no sharding, no stale-read
	// figures); at most 1,048,576.
	Keys int `toml:"keys,omitzero"`
	// Zipf is the key popularity exponent: key k (from 1) is asked for
	// with probability ∝ 1/k^zipf; default the cache's, or 1.0; 0 to 10.
	Zipf float64 `toml:"zipf"`
	// Pool is the connections its callers share: a request that finds
	// none free waits for one, first come first served; default 0: no
	// pool, 1 to 1,000,000.
	Pool int `toml:"pool,omitzero"`
	// PoolTimeout fails a request that waited this long for a connection
	// (counted as rejected), nanoseconds; default 0: it waits on.
	PoolTimeout Duration `toml:"pool_timeout,omitzero"`
}

const (
	maxReadReplicas = 100
	maxShards       = 1024
	maxDBPool       = 1_000_000
)

// DefaultDatabase returns a database table's defaults.
func DefaultDatabase() Database { return Database{Shards: 1, ShardBy: "hash", Zipf: defaultZipf} }

// validateDatabase checks a service's database table and the keys a
// database cannot have, and fills in the defaults that depend on the
// service: keys and zipf from its cache, replicas from the layout.
func (d *checker) validateDatabase(cfg *Config, s *Service, p tomlpos.Path) {
	db := s.Database
	if db == nil {
		return
	}
	dp := p.Child("database")
	if !d.IsSet(dp.Child("shards")) {
		db.Shards = 1
	}
	if !d.IsSet(dp.Child("shard_by")) {
		db.ShardBy = "hash"
	}
	if !d.IsSet(dp.Child("zipf")) {
		db.Zipf = defaultZipf
	}
	if s.Cache != nil && !d.IsSet(dp.Child("keys")) {
		db.Keys, db.Zipf = s.Cache.Keys, s.Cache.Zipf
	}
	if !(db.Writes >= 0 && db.Writes <= 1) {
		d.Errorf(ErrInvalid, dp.Child("writes"), "a share: 0.01 is one write in a hundred", "must be 0 to 1, got %v", db.Writes)
	}
	if db.WriteTime != nil {
		d.validateDist(db.WriteTime, dp.Child("write_time"))
	}
	if db.ReadReplicas < 0 || db.ReadReplicas > maxReadReplicas {
		d.Errorf(ErrInvalid, dp.Child("read_replicas"), "", "must be 0 to %d, got %d", maxReadReplicas, db.ReadReplicas)
	}
	if db.Lag < 0 {
		d.Errorf(ErrInvalid, dp.Child("lag"), "", "must be >= 0")
	}
	if db.Shards < 1 || db.Shards > maxShards {
		d.Errorf(ErrInvalid, dp.Child("shards"), "", "must be 1 to %d, got %d", maxShards, db.Shards)
	} else if db.Shards > 1 && db.Keys == 0 {
		d.Errorf(ErrMissing, dp.Child("keys"), "shards split the keys", "required with shards > 1")
	} else if db.Keys > 0 && db.Shards > db.Keys {
		d.Errorf(ErrInvalid, dp.Child("shards"), "", "%d shards for %d keys: at most one shard per key", db.Shards, db.Keys)
	}
	if db.Keys < 0 || db.Keys > dist.MaxZipfKeys {
		d.Errorf(ErrInvalid, dp.Child("keys"), "", "must be 1 to %d, got %d", dist.MaxZipfKeys, db.Keys)
	}
	if s.Cache != nil && db.Keys != s.Cache.Keys {
		d.Errorf(ErrInvalid, dp.Child("keys"), "omit it to use the cache's", "the database and its cache share their keys: cache.keys is %d, got %d", s.Cache.Keys, db.Keys)
	}
	if !(db.Zipf >= 0 && db.Zipf <= 10) {
		d.Errorf(ErrInvalid, dp.Child("zipf"), "web popularity is usually 0.6 to 1.2", "must be 0 to 10, got %v", db.Zipf)
	}
	if db.Pool < 0 || db.Pool > maxDBPool {
		d.Errorf(ErrInvalid, dp.Child("pool"), "omit it for no pool", "must be 1 to %d, got %d", maxDBPool, db.Pool)
	}
	if db.PoolTimeout < 0 {
		d.Errorf(ErrInvalid, dp.Child("pool_timeout"), "omit it to wait on", "must be >= 0")
	} else if db.PoolTimeout > 0 && db.Pool == 0 {
		d.Errorf(ErrInvalid, dp.Child("pool_timeout"), "set pool", "needs a pool")
	}
	// A database's instances are its fixed layout of primaries and
	// replicas, addressed by role: none of what adds, removes or moves
	// instances applies.
	for _, k := range []struct {
		key string
		set bool
	}{
		{"autoscaler", s.Autoscaler != nil}, {"versions", len(s.Versions) > 0}, {"chaos_monkey", s.ChaosMonkey != nil},
		{"spot_interruptions", s.SpotInterruptions != nil}, {"flags", len(s.Flags) > 0},
		{"health_check", s.HealthCheck != nil}, {"outlier_detection", s.OutlierDetection != nil},
		{"platform", s.Platform == "function"}, {"node_pool", s.NodePool != ""}, {"balancer.layer", s.Balancer.Layer == "L4"},
	} {
		if k.set {
			d.Errorf(ErrInvalid, p.Child(k.key), "a database's instances are fixed and routed by role", "not with database")
		}
	}
	if len(cfg.NodePools) > 0 {
		d.Errorf(ErrInvalid, dp, "a database's instances run outside the node pools", "not with [[node_pool]]")
	}
	fp := tomlpos.Path{}.Child("fault")
	for i, f := range cfg.Faults {
		if f.Service == s.Name {
			d.Errorf(ErrInvalid, fp.Elem(i, f.Name).Child("service"), "faults on databases are not modelled", "service %q is a database", s.Name)
		}
	}
	if db.Shards >= 1 && db.ReadReplicas >= 0 {
		// The layout sets the instances (a replicas key is overridden, so
		// that a variant may change the layout alone); limits and
		// estimates count them.
		s.Replicas = db.Shards * (1 + db.ReadReplicas)
	}
}

// validateWrites checks a workload's writes share: a database target.
func (d *checker) validateWrites(w *Workload, p tomlpos.Path, services map[string]*Service) {
	if w.Writes == nil {
		return
	}
	if !(*w.Writes >= 0 && *w.Writes <= 1) {
		d.Errorf(ErrInvalid, p.Child("writes"), "a share: 0.01 is one write in a hundred", "must be 0 to 1, got %v", *w.Writes)
	}
	if s := services[w.Target]; s != nil && s.Database == nil {
		d.Errorf(ErrInvalid, p.Child("writes"), "give the target a database table", "target %q is not a database", w.Target)
	}
}

// buildDatabase fills a database service's spec: its layout sets its
// instances.
func buildDatabase(s Service, spec *models.ServiceSpec) {
	db := s.Database
	if db == nil {
		return
	}
	ds := &models.DatabaseSpec{Writes: db.Writes, ReadReplicas: db.ReadReplicas, Lag: engine.Duration(db.Lag),
		Shards: db.Shards, Range: db.ShardBy == "range", Keys: db.Keys, Zipf: db.Zipf, Pool: db.Pool,
		PoolTimeout: engine.Duration(db.PoolTimeout)}
	if db.WriteTime != nil {
		ds.WriteTime = db.WriteTime.Spec()
	}
	spec.Database = ds
	spec.Replicas = ds.Instances()
}
