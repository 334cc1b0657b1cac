/* tooltable.h - the real ews-mcp tools with harmless handlers, for the
 * fuzz targets that need a tool registry (jsonrpc, schema).
 *
 * The names, descriptions, annotations and input/output schemas are the
 * tool families' own (src/tools/tools_*.c); only the handler is replaced,
 * by one that reports progress, logs a line and echoes its arguments, so
 * a fuzzed tools/call exercises the MCP layer's whole result path and
 * never reaches Exchange, the disk or the network.
 */
#ifndef INCLUDE_fuzz_tooltable_h__
#define INCLUDE_fuzz_tooltable_h__

#include "mcp/registry.h"

/* The registry (built on first use; lives until exit), or abort()s. */
const mcp_registry *fuzz_tool_registry(void);

#endif
