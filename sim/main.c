/* main.c - the ews-sim command line: parses the options, starts the sim
 * (sim.h), prints its base URL as the first line of stdout once it
 * accepts connections, and runs until SIGINT or SIGTERM. */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/sim.h"

static const char usage[] =
	"usage: ews-sim --listen 127.0.0.1:PORT --org ORG.json [--db FILE|:memory:]\n"
	"               [--generate N] [--faults SPEC] [--latency-ms N] [--quiet]\n"
	"\n"
	"A local, stateful, EWS-compatible Exchange server for tests and demos.\n"
	"  --listen HOST:PORT  IPv4 address and port; port 0 picks a free one\n"
	"  --org FILE          the org JSON (users, rights, apps, seed content)\n"
	"  --db FILE           SQLite store (default :memory:)\n"
	"  --generate N        add N generated messages per mailbox\n"
	"  --faults SPEC       fault rules, e.g. kind=server_busy,op=CreateItem,count=1\n"
	"  --latency-ms N      added to every EWS request\n"
	"  --quiet             no access log on stderr\n"
	"Endpoints: POST /EWS/Exchange.asmx, POST /{tenant}/oauth2/v2.0/token,\n"
	"GET /sim/stats, POST /sim/reset, POST /sim/faults.\n";

static int parse_long(long *out, const char *s, const char *opt)
{
	char *end;

	*out = s ? strtol(s, &end, 10) : -1;
	if (!s || !*s || *end || *out < 0) {
		fprintf(stderr, "ews-sim: %s: \"%s\" is not a non-negative integer\n",
			opt, s ? s : "");
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	ews_sim_options o = EWS_SIM_OPTIONS_INIT;
	errinfo err = ERRINFO_INIT;
	static char host[64];
	ews_sim *sim;
	sigset_t set;
	int i, sig;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			fputs(usage, stdout);
			return 0;
		}
		if (strcmp(a, "--quiet") == 0) {
			o.quiet = 1;
			continue;
		}
		if (!v) {
			fprintf(stderr, "ews-sim: %s needs a value\n%s", a, usage);
			return 2;
		}
		i++;
		if (strcmp(a, "--listen") == 0) {
			const char *colon = strrchr(v, ':');
			long port;

			if (!colon || (size_t)(colon - v) >= sizeof(host) ||
			    parse_long(&port, colon + 1, "--listen port") < 0 || port > 65535) {
				fprintf(stderr, "ews-sim: --listen: \"%s\" must be HOST:PORT, e.g. 127.0.0.1:0\n", v);
				return 2;
			}
			memcpy(host, v, (size_t)(colon - v));
			host[colon - v] = '\0';
			o.listen_host = host;
			o.port = (int)port;
		} else if (strcmp(a, "--org") == 0) {
			o.org_path = v;
		} else if (strcmp(a, "--db") == 0) {
			o.db_path = v;
		} else if (strcmp(a, "--faults") == 0) {
			o.faults = v;
		} else if (strcmp(a, "--generate") == 0) {
			if (parse_long(&o.generate, v, "--generate") < 0)
				return 2;
		} else if (strcmp(a, "--latency-ms") == 0) {
			if (parse_long(&o.latency_ms, v, "--latency-ms") < 0)
				return 2;
		} else {
			fprintf(stderr, "ews-sim: unknown option %s\n%s", a, usage);
			return 2;
		}
	}
	if (!o.org_path) {
		fprintf(stderr, "ews-sim: --org is required\n%s", usage);
		return 2;
	}
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);  /* server threads inherit it */
	if (ews_sim_start(&sim, &o, &err) < 0) {
		fprintf(stderr, "ews-sim: %s\n", err.msg);
		return 1;
	}
	printf("%s\n", ews_sim_url(sim));
	fflush(stdout);
	sigwait(&set, &sig);
	ews_sim_stop(sim);
	return 0;
}
