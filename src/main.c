/* main.c - the ews-mcp command line.
 *
 *   ews-mcp [options] [serve]          MCP server over stdio (default)
 *   ews-mcp [options] serve --http [HOST:PORT]   ... over Streamable HTTP
 *   ews-mcp [options] tools            the tools, with their schemas
 *   ews-mcp [options] call TOOL JSON   one tool call; result JSON on stdout
 *   ews-mcp [options] check [--mailbox ADDR]   does this configuration work?
 *   ews-mcp [options] demo [--walkthrough]     against the embedded ews-sim
 *   ews-mcp [options] config [--reference]     effective settings / reference
 *   ews-mcp --version | --help
 *
 * Options set configuration at the highest precedence (defaults < .env <
 * environment < flags). stdout belongs to the MCP transport when serving,
 * so everything else this program says goes to stderr.
 */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/cfg.h"
#include "core/log.h"
#include "version.h"

#define MAX_OVERRIDES 64

static const char usage[] =
	"usage: ews-mcp [options] [command]\n"
	"\n"
	"An MCP server for Microsoft Exchange (EWS): mail, calendar, contacts,\n"
	"tasks, folders and out-of-office, on the service account's mailbox and,\n"
	"through impersonation or delegate access, on other users' mailboxes.\n"
	"\n"
	"commands:\n"
	"  serve                  serve MCP over stdio (the default; --http for HTTP)\n"
	"  tools                  list the tools with their input schemas (JSON)\n"
	"  call TOOL 'JSON'       run one tool call and print its result (exit 1 on error)\n"
	"  check [--mailbox ADDR] check settings, connection, sign-in and access to ADDR\n"
	"  demo                   serve MCP against the embedded ews-sim demo organisation\n"
	"  demo --walkthrough     run a scripted tour of the demo and print it\n"
	"  config                 print the effective configuration (secrets masked)\n"
	"  config --reference     print every setting as a Markdown table\n"
	"\n"
	"options:\n"
	"  --env-file PATH    read settings from PATH instead of ./.env\n"
	"  --set NAME=VALUE   set any setting (repeatable; beats .env and environment)\n"
	"  --log-level LEVEL  DEBUG, INFO, WARNING or ERROR (same as LOG_LEVEL)\n"
	"  --http [HOST:PORT] serve (or demo) over HTTP instead of stdio\n"
	"                     (MCP_TRANSPORT=http; default 127.0.0.1:8000)\n"
	"  --version          print the version and exit\n"
	"  --help             print this help and exit\n"
	"\n"
	"Settings use the Python ews-mcp's names (EWS_SERVER_URL, EWS_EMAIL,\n"
	"EWS_AUTH_TYPE, ...); `ews-mcp config --reference` lists them all.\n";

typedef struct cli {
	const char *command;
	const char *env_file;
	int env_file_explicit;
	const char *overrides[MAX_OVERRIDES];
	int noverrides;
	char *owned[MAX_OVERRIDES];
	int nowned;
	int reference;
	int walkthrough;
	const char *mailbox;
	const char *args[2];   /* positional arguments after the command */
	int nargs;
} cli;

/* Adds an owned "NAME=VALUE" override. 0 or -1 (printed). */
static int add_override(cli *c, const char *name, const char *value, size_t vlen)
{
	size_t n = strlen(name) + vlen + 2;
	char *kv;

	if (c->noverrides >= MAX_OVERRIDES || c->nowned >= MAX_OVERRIDES) {
		fprintf(stderr, "ews-mcp: too many settings on the command line\n");
		return -1;
	}
	kv = malloc(n);
	if (!kv)
		return -1;
	snprintf(kv, n, "%s=%.*s", name, (int)vlen, value);
	c->owned[c->nowned++] = kv;
	c->overrides[c->noverrides++] = kv;
	return 0;
}

/* --http [HOST:PORT]: MCP_TRANSPORT=http and, if given, MCP_HOST/MCP_PORT
 * ("[::1]:8000" for IPv6). */
static int add_http_overrides(cli *c, const char *listen)
{
	const char *colon = listen ? strrchr(listen, ':') : NULL;
	const char *host = listen;
	size_t hlen;

	if (add_override(c, "MCP_TRANSPORT", "http", 4) < 0)
		return -1;
	if (!listen)
		return 0;
	/* A host alone ("--http 0.0.0.0") keeps the configured port; a
	 * bracketed IPv6 address has colons of its own. */
	if (!colon || (listen[0] == '[' && colon < strchr(listen, ']')))
		return add_override(c, "MCP_HOST", listen[0] == '[' ? listen + 1 : listen,
				    listen[0] == '[' ? strcspn(listen + 1, "]") : strlen(listen));
	hlen = (size_t)(colon - listen);
	if (hlen >= 2 && host[0] == '[' && host[hlen - 1] == ']') {
		host++;
		hlen -= 2;
	}
	if (hlen == 0 || !colon[1]) {
		fprintf(stderr, "ews-mcp: --http wants HOST:PORT (example: --http 127.0.0.1:8000), "
			"got '%s'\n", listen);
		return -1;
	}
	return add_override(c, "MCP_HOST", host, hlen) < 0 ||
	       add_override(c, "MCP_PORT", colon + 1, strlen(colon + 1)) < 0 ? -1 : 0;
}

static int is_command(const char *word)
{
	static const char *const commands[] = {
		"serve", "tools", "call", "check", "demo", "config",
	};
	size_t i;

	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(word, commands[i]) == 0)
			return 1;
	return 0;
}

/* Parses options and the command. 0, 1 when the program should exit 0
 * (help, version), or -1 with the problem printed. */
static int parse_args(cli *c, int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			fputs(usage, stdout);
			return 1;
		}
		if (strcmp(a, "--version") == 0) {
			printf("%s %s\n", EWS_MCP_NAME, EWS_MCP_VERSION);
			return 1;
		}
		if ((strcmp(a, "--env-file") == 0 || strcmp(a, "--set") == 0 ||
		     strcmp(a, "--log-level") == 0 || strcmp(a, "--mailbox") == 0) &&
		    i + 1 >= argc) {
			fprintf(stderr, "ews-mcp: %s needs a value (see --help)\n", a);
			return -1;
		}
		if (strcmp(a, "--env-file") == 0) {
			c->env_file = argv[++i];
			c->env_file_explicit = 1;
		} else if (strcmp(a, "--set") == 0) {
			const char *kv = argv[++i];

			if (!strchr(kv, '=') || kv[0] == '=') {
				fprintf(stderr, "ews-mcp: --set wants NAME=VALUE, got '%s'\n", kv);
				return -1;
			}
			if (c->noverrides >= MAX_OVERRIDES) {
				fprintf(stderr, "ews-mcp: too many --set options\n");
				return -1;
			}
			c->overrides[c->noverrides++] = kv;
		} else if (strcmp(a, "--log-level") == 0) {
			size_t n = strlen(argv[++i]) + sizeof("LOG_LEVEL=");
			char *kv = malloc(n);

			if (!kv || c->noverrides >= MAX_OVERRIDES) {
				free(kv);
				return -1;
			}
			snprintf(kv, n, "LOG_LEVEL=%s", argv[i]);
			c->owned[c->nowned++] = kv;
			c->overrides[c->noverrides++] = kv;
		} else if (strcmp(a, "--http") == 0) {
			/* The value is optional: the next word is ours unless it is
			 * an option or a command. */
			if (add_http_overrides(c, i + 1 < argc && argv[i + 1][0] != '-' &&
						       !is_command(argv[i + 1]) ? argv[++i] : NULL) < 0)
				return -1;
		} else if (strcmp(a, "--reference") == 0 && c->command &&
			   strcmp(c->command, "config") == 0) {
			c->reference = 1;
		} else if (strcmp(a, "--walkthrough") == 0 && c->command &&
			   strcmp(c->command, "demo") == 0) {
			c->walkthrough = 1;
		} else if (strcmp(a, "--mailbox") == 0 && c->command &&
			   strcmp(c->command, "check") == 0) {
			c->mailbox = argv[++i];
		} else if (a[0] == '-' && a[1]) {
			fprintf(stderr, "ews-mcp: unknown option %s (see --help)\n", a);
			return -1;
		} else if (!c->command) {
			c->command = a;
		} else if (c->command && strcmp(c->command, "call") == 0 && c->nargs < 2) {
			c->args[c->nargs++] = a;
		} else {
			fprintf(stderr, "ews-mcp: unexpected argument '%s' (see --help)\n", a);
			return -1;
		}
	}
	if (!c->command)
		c->command = "serve";
	return 0;
}

static void load_options(cfg_load_options *lo, const cli *c, int skip_required)
{
	*lo = (cfg_load_options)CFG_LOAD_OPTIONS_INIT;
	lo->env_file = c->env_file;
	lo->env_file_explicit = c->env_file_explicit;
	lo->overrides = c->overrides;
	lo->override_count = c->noverrides;
	lo->skip_required = skip_required;
}

static int load_config(cfg **out, const cli *c, int skip_required)
{
	cfg_load_options lo;
	errinfo err = ERRINFO_INIT;
	log_level level;

	load_options(&lo, c, skip_required);
	if (cfg_load(out, &lo, &err) < 0) {
		fprintf(stderr, "ews-mcp: configuration error: %s\n", err.msg);
		return -1;
	}
	if (log_level_parse(&level, (*out)->log_level) == 0)
		log_set_level(level);
	log_set_json((*out)->log_json);
	return 0;
}

static int cmd_config(const cli *c)
{
	cfg *conf = NULL;

	if (c->reference) {
		cfg_write_reference(stdout);
		return 0;
	}
	if (load_config(&conf, c, 1) < 0)
		return 1;
	cfg_dump(conf, stdout);
	cfg_free(conf);
	return 0;
}

/* Commands that talk to Exchange need the whole configuration. */
static int cmd_with_config(const cli *c)
{
	cfg *conf = NULL;
	int rc;

	if (strcmp(c->command, "call") == 0 && c->nargs < 1) {
		fprintf(stderr, "ews-mcp call: usage: ews-mcp call TOOL '{\"arg\": \"value\"}'\n");
		return 2;
	}
	if (load_config(&conf, c, strcmp(c->command, "tools") == 0) < 0)
		return 1;
	if (strcmp(c->command, "serve") == 0)
		rc = cli_serve(conf);
	else if (strcmp(c->command, "tools") == 0)
		rc = cli_tools(conf);
	else if (strcmp(c->command, "call") == 0)
		rc = cli_call(conf, c->args[0], c->nargs > 1 ? c->args[1] : "{}");
	else
		rc = cli_check(conf, c->mailbox);
	cfg_free(conf);
	return rc;
}

static int cmd_demo(const cli *c)
{
	cfg_load_options lo;
	cfg *conf = NULL;
	int rc;

	/* Loaded once here only to apply the log settings and report errors
	 * in the user's own settings before the sim starts. */
	if (load_config(&conf, c, 1) < 0)
		return 1;
	cfg_free(conf);
	load_options(&lo, c, 1);
	rc = cli_demo(&lo, c->walkthrough);
	return rc;
}

/* glibc gives every thread that meets a locked arena a new one, up to
 * eight per core, and an arena keeps what it once held: with eight
 * workers each reading 1,000 messages now and then, RSS settled near
 * 86 MiB where 2 arenas hold it under 45 MiB at the same speed on this
 * workload (bench/load.sh). MALLOC_ARENA_MAX, when set, still wins. */
static void bound_malloc_arenas(void)
{
	if (!getenv("MALLOC_ARENA_MAX"))
		mallopt(M_ARENA_MAX, 2);
}

int main(int argc, char **argv)
{
	cli c;
	int rc, i;

	bound_malloc_arenas();
	memset(&c, 0, sizeof(c));
	rc = parse_args(&c, argc, argv);
	if (rc != 0) {
		rc = rc > 0 ? 0 : 2;
	} else if (strcmp(c.command, "config") == 0) {
		rc = cmd_config(&c);
	} else if (strcmp(c.command, "serve") == 0 || strcmp(c.command, "tools") == 0 ||
		   strcmp(c.command, "call") == 0 || strcmp(c.command, "check") == 0) {
		rc = cmd_with_config(&c);
	} else if (strcmp(c.command, "demo") == 0) {
		rc = cmd_demo(&c);
	} else {
		fprintf(stderr, "ews-mcp: unknown command '%s' (see --help)\n", c.command);
		rc = 2;
	}
	for (i = 0; i < c.nowned; i++)
		free(c.owned[i]);
	return rc;
}
