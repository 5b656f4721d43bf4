package scenario_test

import (
	"strings"
	"testing"

	"github.com/clustersim/clustersim/sim/scenario"
)

// TestDatabaseKeys: a database table fills its defaults (one shard by
// hash, keys and zipf from the cache), sets the service's instances from
// its layout, builds, and refuses bad values and the keys a database
// cannot have, naming file, line and key.
func TestDatabaseKeys(t *testing.T) {
	base := valid + "cache = { capacity = 100, keys = 1000, zipf = 0.8 }\ndatabase = { read_replicas = 2, writes = 0.01, pool = 8 }\n"
	cfg, err := scenario.Parse("x.toml", []byte(base), nil)
	if err != nil {
		t.Fatal(err)
	}
	s := cfg.Services[0]
	if db := s.Database; db.Shards != 1 || db.ShardBy != "hash" || db.Keys != 1000 || db.Zipf != 0.8 || s.Replicas != 3 {
		t.Errorf("database %+v, replicas %d: want 1 hash shard, the cache's keys and zipf, 3 instances", db, s.Replicas)
	}
	mc, _, err := scenario.Build(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if d := mc.Services[0].Database; d == nil || d.ReadReplicas != 2 || d.Pool != 8 || d.Range || mc.Services[0].Replicas != 3 {
		t.Errorf("built %+v", mc.Services[0])
	}
	tests := []struct{ name, from, to, want string }{
		{"writes over 1", "writes = 0.01", "writes = 1.5",
			`x.toml:13:33: service.api.database.writes: must be 0 to 1, got 1.5 (a share: 0.01 is one write in a hundred)`},
		{"shards without keys", "cache = { capacity = 100, keys = 1000, zipf = 0.8 }\n", "", ""},
		{"pool timeout without pool", "pool = 8", `pool_timeout = "1s"`,
			`x.toml:13:48: service.api.database.pool_timeout: needs a pool (set pool)`},
		{"keys unlike the cache's", "pool = 8", "keys = 10", `x.toml:13:48: service.api.database.keys: the database and its cache share their keys: cache.keys is 1000, got 10 (omit it to use the cache's)`},
		{"unknown shard_by", "pool = 8", `shard_by = "round"`, `x.toml:13:48: service.api.database.shard_by: unknown value "round" (one of "hash", "range")`},
		{"autoscaler", "database = {", "autoscaler = { kind = \"hpa\", min = 1, max = 3 }\ndatabase = {",
			`x.toml:13:1: service.api.autoscaler: not with database (a database's instances are fixed and routed by role)`},
		{"misspelt key", "read_replicas", "read_replica", `x.toml:13:14: service.api.database.read_replica: unknown key (did you mean "read_replicas"?)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := strings.Replace(base, tt.from, tt.to, 1)
			if tt.want == "" { // shards > 1 without keys
				src = strings.Replace(src, "read_replicas = 2", "shards = 2", 1)
				tt.want = `x.toml:12:1: service.api.database.keys: required with shards > 1 (shards split the keys)`
			}
			_, err := scenario.Parse("x.toml", []byte(src), nil)
			if err == nil {
				t.Fatal("no error")
			}
			if got := err.Error(); got != tt.want {
				t.Errorf("got\n\t%s\nwant\n\t%s", got, tt.want)
			}
		})
	}
}

// TestWorkloadWritesKey: a workload's writes is a share and needs a
// database target.
func TestWorkloadWritesKey(t *testing.T) {
	src := strings.Replace(valid, "rate = 100", "rate = 100\nwrites = 0.5", 1)
	_, err := scenario.Parse("x.toml", []byte(src), nil)
	want := `x.toml:8:1: workload.shoppers.writes: target "api" is not a database (give the target a database table)`
	if err == nil || err.Error() != want {
		t.Errorf("got %v, want %s", err, want)
	}
	src = strings.Replace(src, "writes = 0.5", "writes = -1", 1) + "database = {}\n"
	_, err = scenario.Parse("x.toml", []byte(src), nil)
	want = `x.toml:8:1: workload.shoppers.writes: must be 0 to 1, got -1 (a share: 0.01 is one write in a hundred)`
	if err == nil || err.Error() != want {
		t.Errorf("got %v, want %s", err, want)
	}
}
