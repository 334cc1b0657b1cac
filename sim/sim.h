/* sim.h - ews-sim as a library: start a stateful EWS-compatible Exchange
 * server in-process on a loopback port, and stop it.
 *
 * Tests, benchmarks and `ews-mcp demo` embed it through this header; the
 * ews-sim executable (sim/main.c) is a thin CLI over the same calls.
 */
#ifndef INCLUDE_sim_h__
#define INCLUDE_sim_h__

#include "core/errinfo.h"

typedef struct ews_sim ews_sim;

typedef struct ews_sim_options {
	const char *listen_host;   /* "127.0.0.1" (default) */
	int port;                  /* 0 = ephemeral */
	const char *org_path;      /* org JSON file, or NULL to use org_json */
	const char *org_json;      /* org JSON text (when org_path is NULL) */
	const char *db_path;       /* SQLite file, or NULL / ":memory:" */
	long generate;             /* --generate N: messages per mailbox (0 = none) */
	const char *faults;        /* --faults SPEC, or NULL */
	long latency_ms;           /* added to every EWS request */
	int quiet;                 /* no access log on stderr */
} ews_sim_options;

#define EWS_SIM_OPTIONS_INIT { "127.0.0.1", 0, NULL, NULL, NULL, 0, NULL, 0, 0 }

/* Loads the org, opens the store and starts serving. 0 and a running sim
 * in *out (ews_sim_stop it), or ERR_* with err naming the problem (an org
 * file error names the JSON path, e.g. "users[2].smtp: missing"). */
int ews_sim_start(ews_sim **out, const ews_sim_options *opts, errinfo *err);

/* Base URL, e.g. "http://127.0.0.1:41234" (borrowed). The EWS endpoint is
 * this + "/EWS/Exchange.asmx"; the token endpoint this + "/{tenant}/oauth2/v2.0/token". */
const char *ews_sim_url(const ews_sim *sim);

/* Stops serving, waits for in-flight requests, frees everything. NULL-safe. */
void ews_sim_stop(ews_sim *sim);

#endif
