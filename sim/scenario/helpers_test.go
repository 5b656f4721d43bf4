package scenario_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/clustersim/clustersim/sim/models"
	"github.com/clustersim/clustersim/sim/scenario"
)

// wantRejected parses src as x.toml and fails t unless Parse refuses it
// with a list of positioned errors whose text holds every one of wants.
func wantRejected(t *testing.T, src string, wants ...string) {
	t.Helper()
	_, err := scenario.Parse("x.toml", []byte(src), nil)
	if err == nil {
		t.Errorf("accepted; want an error holding %q", wants)
		return
	}
	var list scenario.ErrorList
	if !errors.As(err, &list) {
		t.Errorf("error %T %v is not a scenario.ErrorList", err, err)
		return
	}
	got := err.Error()
	for _, want := range wants {
		if !strings.Contains(got, want) {
			t.Errorf("error\n%s\nlacks\n%s", got, want)
		}
	}
}

// clusterOf builds cfg into a cluster ready to run, failing t on an
// error.
func clusterOf(t testing.TB, cfg *scenario.Config) *models.Cluster {
	t.Helper()
	mc, _, err := scenario.Build(cfg)
	if err != nil {
		t.Fatal(err)
	}
	c, err := models.New(mc)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// buildOf parses src as file and builds it, failing t on an error.
func buildOf(t testing.TB, file, src string) (*scenario.Config, models.Config) {
	t.Helper()
	cfg, err := scenario.Parse(file, []byte(src), nil)
	if err != nil {
		t.Fatal(err)
	}
	mc, _, err := scenario.Build(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return cfg, mc
}
