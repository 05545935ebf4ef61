package rules

import (
	"github.com/isolint/isolint/controls"
	"github.com/isolint/isolint/model"
)

var _ = register(&Rule{
	ID:         "shared-network-namespace",
	Title:      "Workload joins another workload's network namespace",
	Severity:   Medium,
	Confidence: ConfidenceHigh,
	Axis:       AxisEgress,
	Formats:    []model.Format{model.FormatCompose},
	Controls: []controls.Ref{
		nist("SC-7"), nist("SC-39"), csf("PR.IR-01"), sp190("4.4.2"),
	},
	Description: "A Compose service with `network_mode: \"service:x\"` or `\"container:x\"` has no network of its " +
		"own: it uses x's interfaces, addresses and routes, so it reaches everything x may reach (egress rules " +
		"and networks meant for x) and every port x listens on at localhost, including admin and debug ports " +
		"bound to 127.0.0.1 because nothing else could reach them. Joining the host's network is host-network's.",
	Fix: "Give the service its own network and reach x through a Compose network and a published port. A " +
		"VPN or proxy sidecar that must share x's network should be the only service that does.",
	Examples: []Example{{
		Format: model.FormatCompose, Path: "compose.yaml",
		Bad: `services:
  vpn:
    image: example/vpn:1.0
  downloader:
    image: example/downloader:1.0
    network_mode: service:vpn`,
		Good: `services:
  vpn:
    image: example/vpn:1.0
  downloader:
    image: example/downloader:1.0
    networks: [back]
networks:
  back: {}`,
	}},
	Workload: func(p *Pass, w *model.Workload) {
		for _, j := range w.Joins {
			if j.Namespace != "network" || (w.HostNetwork.IsTrue() && w.HostNetwork.Loc == j.Loc) {
				continue // the host's network, through the other service: host-network
			}
			p.ReportAt(w, j.Loc, j.Via, "%s joins the network namespace of %s: it shares its addresses and egress, and reaches every port it listens on at localhost", w.Display(), joinTarget(j))
		}
	},
})
