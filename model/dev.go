package model

// The dev part of the model: dev containers (devcontainer.json) and the
// tool servers AI coding agents start (MCP server configurations). A dev
// container is a Workload of Kind KindDevContainer with one container; an
// MCP server is a Workload of Kind KindMCPServer whose one container is the
// process the agent starts (ContainerProcess, or a container when the
// command is `docker run …`), or which has no container and an Endpoint
// when the server is remote.

// Workload kinds of the dev format.
const (
	KindDevContainer = "devcontainer"
	KindMCPServer    = "mcp-server"
)

// Endpoint is a remote server a workload connects to (an MCP server's
// `url`): its address and what the client sends with each request. Values
// are kept only so that rules can judge them; no output prints them.
type Endpoint struct {
	URL String
	// Headers are the HTTP headers the client sends (`headers:`).
	Headers []Input
	// Params are the query parameters written in the URL.
	Params []Input
}
