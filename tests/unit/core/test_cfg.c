/* test_cfg.c - configuration (src/core/cfg.c, cfg_env.c): precedence of
 * the four sources, the .env dialect, validation messages, required
 * settings, masking in the dump, unknown-name warnings. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/cfg.h"
#include "core/log.h"

/* ---- helpers ---- */

static char warnings[4096];

static void capture(log_level level, const char *component, const char *message,
		    void *payload)
{
	size_t n = strlen(warnings);

	(void)payload;
	if (level >= LOG_LEVEL_WARNING)
		snprintf(warnings + n, sizeof(warnings) - n, "%s:%s\n", component, message);
}

static const char *write_env(const char *name, const char *text)
{
	static char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", testutil_tmpdir(), name);
	f = fopen(path, "wb");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	return path;
}

static char *const empty_env[] = { NULL };

static int count_of(const char *hay, const char *needle)
{
	int n = 0;

	for (hay = strstr(hay, needle); hay; hay = strstr(hay + 1, needle))
		n++;
	return n;
}

/* Loads with only the given overrides (no .env, empty environment). */
static int load_flags(cfg **out, const char *const *flags, int n, int skip_required,
		      errinfo *err)
{
	cfg_load_options o = CFG_LOAD_OPTIONS_INIT;

	o.env_file = "/nonexistent/.env"; /* not explicit: missing is fine */
	o.environ = empty_env;
	o.overrides = flags;
	o.override_count = n;
	o.skip_required = skip_required;
	return cfg_load(out, &o, err);
}

static char *dump(const cfg *c)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	assert_non_null(f);
	cfg_dump(c, f);
	fclose(f);
	return text;
}

/* ---- precedence ---- */

static void test_precedence(void **state)
{
	const char *path = write_env("prec.env",
				     "MCP_PORT=8001\n"
				     "LOG_LEVEL=DEBUG\n"
				     "MCP_HOST=10.0.0.1\n"
				     "EWS_EMAIL=dotenv@contoso.com\n");
	char *env[] = { (char *)"MCP_PORT=8002", (char *)"LOG_LEVEL=error",
			(char *)"PATH=/usr/bin", NULL };
	const char *flags[] = { "MCP_PORT=8003" };
	cfg_load_options o = CFG_LOAD_OPTIONS_INIT;
	errinfo err = ERRINFO_INIT;
	cfg *c = NULL;
	char *text;

	(void)state;
	o.env_file = path;
	o.env_file_explicit = 1;
	o.environ = env;
	o.overrides = flags;
	o.override_count = 1;
	o.skip_required = 1;
	if (cfg_load(&c, &o, &err) != 0)
		fail_msg("%s", err.msg);
	assert_int_equal(c->mcp_port, 8003);              /* flag */
	assert_string_equal(c->log_level, "ERROR");       /* environment, canonical */
	assert_string_equal(c->mcp_host, "10.0.0.1");     /* .env */
	assert_string_equal(c->ews_email, "dotenv@contoso.com");
	assert_int_equal(c->request_timeout, 30);         /* default */
	text = dump(c);
	assert_non_null(strstr(text, "MCP_PORT=8003  # flag\n"));
	assert_non_null(strstr(text, "LOG_LEVEL=ERROR  # environment\n"));
	assert_non_null(strstr(text, "MCP_HOST=10.0.0.1  # .env\n"));
	assert_non_null(strstr(text, "REQUEST_TIMEOUT=30  # default\n"));
	assert_null(strstr(text, "\nPATH=")); /* only our variables */
	free(text);
	cfg_free(c);
}

static void test_defaults(void **state)
{
	errinfo err = ERRINFO_INIT;
	cfg *c = NULL;

	(void)state;
	assert_int_equal(load_flags(&c, NULL, 0, 1, &err), 0);
	assert_null(c->ews_email);
	assert_int_equal(c->ews_autodiscover, 1);
	assert_int_equal(c->auth_type, CFG_AUTH_OAUTH2);
	assert_string_equal(c->ews_oauth_authority, "https://login.microsoftonline.com");
	assert_string_equal(c->ews_server_version, "Exchange2016");
	assert_int_equal(c->impersonation_enabled, 0);
	assert_int_equal(c->impersonation_type, CFG_ACCESS_IMPERSONATION);
	assert_int_equal(c->mailbox_cache_size, 256);
	assert_int_equal(c->max_concurrency_per_mailbox, 4);
	assert_null(c->attachment_dir);
	assert_string_equal(c->download_dir, "downloads");
	assert_string_equal(c->data_dir, "data");
	assert_int_equal(c->max_attachment_size, 157286400);
	assert_string_equal(c->mcp_server_name, "ews-mcp-server");
	assert_int_equal(c->transport, CFG_TRANSPORT_STDIO);
	assert_string_equal(c->mcp_host, "127.0.0.1");
	assert_int_equal(c->mcp_port, 8000);
	assert_string_equal(c->timezone, "UTC");
	assert_string_equal(c->log_level, "INFO");
	assert_int_equal(c->log_json, 0);
	assert_int_equal(c->connection_pool_size, 10);
	assert_int_equal(c->cache_ttl, 300);
	assert_int_equal(c->rate_limit_per_minute, 25);
	assert_int_equal(c->enable_attachments, 1);
	assert_int_equal(c->audit_enabled, 1);
	assert_string_equal(c->audit_log_path, "logs/audit.log");
	assert_int_equal(c->audit_log_max_bytes, 20971520);
	assert_int_equal(c->audit_log_backups, 10);
	assert_int_equal(c->sse_keepalive_interval, 15);
	assert_int_equal(c->http_keepalive_timeout, 300);
	assert_int_equal(c->progress_interval, 10);
	cfg_free(c);
}

static void test_env_case_and_empty(void **state)
{
	char *env[] = { (char *)"ews_email=lower@contoso.com", (char *)"Mcp_Port=9000",
			(char *)"MCP_PORT=9001", (char *)"MCP_HOST=", NULL };
	cfg_load_options o = CFG_LOAD_OPTIONS_INIT;
	errinfo err = ERRINFO_INIT;
	cfg *c = NULL;

	(void)state;
	o.env_file = "/nonexistent/.env";
	o.environ = env;
	o.skip_required = 1;
	assert_int_equal(cfg_load(&c, &o, &err), 0);
	assert_string_equal(c->ews_email, "lower@contoso.com");
	assert_int_equal(c->mcp_port, 9001);           /* exact name wins */
	assert_string_equal(c->mcp_host, "127.0.0.1"); /* empty = default */
	cfg_free(c);
}

static void test_transport_aliases(void **state)
{
	static const struct {
		const char *flag;
		cfg_transport want;
	} rows[] = {
		{ "MCP_TRANSPORT=stdio", CFG_TRANSPORT_STDIO },
		{ "MCP_TRANSPORT=http", CFG_TRANSPORT_HTTP },
		{ "MCP_TRANSPORT=sse", CFG_TRANSPORT_HTTP },
		{ "MCP_TRANSPORT=streamable-http", CFG_TRANSPORT_HTTP },
		{ "MCP_TRANSPORT=SSE", CFG_TRANSPORT_HTTP },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		errinfo err = ERRINFO_INIT;
		cfg *c = NULL;

		assert_int_equal(load_flags(&c, &rows[i].flag, 1, 1, &err), 0);
		assert_int_equal(c->transport, rows[i].want);
		cfg_free(c);
	}
}

/* ---- the .env dialect ---- */

typedef struct pairs {
	char text[2048];
} pairs;

static int collect(const char *name, const char *value, int line, void *payload)
{
	pairs *p = payload;
	size_t n = strlen(p->text);

	snprintf(p->text + n, sizeof(p->text) - n, "%d:%s=[%s];", line, name, value);
	return 0;
}

static const struct {
	const char *text, *want;
} env_forms[] = {
	{ "A=b\n", "1:A=[b];" },
	{ "A=b", "1:A=[b];" },
	{ "# comment\n\n  \nA=b\n", "4:A=[b];" },
	{ "export A=b\n", "1:A=[b];" },
	{ "export\tA=b\n", "1:A=[b];" },
	{ "exporter=1\n", "1:exporter=[1];" },
	{ "A = b \n", "1:A=[b];" },
	{ "EWS_AUTH_TYPE=oauth2  # oauth2, basic, ntlm\n", "1:EWS_AUTH_TYPE=[oauth2];" },
	{ "A=b#c\n", "1:A=[b#c];" },
	{ "A=\n", "1:A=[];" },
	{ "A= # only a comment\n", "1:A=[];" },
	{ "A=\"x y # z\"\n", "1:A=[x y # z];" },
	{ "A=\"a\\\"b\\\\c\\nd\"\n", "1:A=[a\"b\\c\nd];" },
	{ "A=\"C:\\path\"\n", "1:A=[C:\\path];" },
	{ "A='lit \\n $x \"q\"'\n", "1:A=[lit \\n $x \"q\"];" },
	{ "A=\"two\nlines\"\nB=c\n", "1:A=[two\nlines];3:B=[c];" },
	{ "A='x'  # note\n", "1:A=[x];" },
	{ "A=b\r\nC=d\r\n", "1:A=[b];2:C=[d];" },
	{ "A=\"q\"\r\n", "1:A=[q];" },
	{ "\xEF\xBB\xBF" "A=b\n", "1:A=[b];" },
	{ "A=it's\n", "1:A=[it's];" },
	{ "A=b\nA=c\n", "1:A=[b];2:A=[c];" },
	{ "lower_case=1\n", "1:lower_case=[1];" },
};

static void test_env_forms(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(env_forms) / sizeof(env_forms[0]); i++) {
		pairs p;
		errinfo err = ERRINFO_INIT;

		p.text[0] = '\0';
		if (cfg_parse_env_text(env_forms[i].text, "t.env", collect, &p, &err) != 0)
			fail_msg("row %zu: %s", i, err.msg);
		if (strcmp(p.text, env_forms[i].want) != 0)
			fail_msg("row %zu: got '%s' want '%s'", i, p.text, env_forms[i].want);
	}
}

static const struct {
	const char *text, *want;
} env_bad[] = {
	{ "A=b\njust words\n", "t.env:2: expected '=' after just (lines are NAME=value)" },
	{ "A=b\n\nPASSWORD hunter2\n", "t.env:3: expected '=' after PASSWORD (lines are NAME=value)" },
	{ "=value\n", "t.env:1: expected NAME=value (a name starts with a letter or '_')" },
	{ "1A=b\n", "t.env:1: expected NAME=value (a name starts with a letter or '_')" },
	{ "A-B=c\n", "t.env:1: expected '=' after A (lines are NAME=value)" },
	{ "A=\"open\n", "t.env:1: unterminated double-quoted value for A" },
	{ "X=1\nA='open\nB=2\n", "t.env:2: unterminated single-quoted value for A" },
	{ "A=\"x\" y\n", "t.env:1: unexpected text after the closing quote of A" },
};

static void test_env_malformed(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(env_bad) / sizeof(env_bad[0]); i++) {
		pairs p;
		errinfo err = ERRINFO_INIT;

		p.text[0] = '\0';
		assert_int_equal(cfg_parse_env_text(env_bad[i].text, "t.env", collect, &p, &err),
				 ERR_CONFIG);
		assert_string_equal(err.msg, env_bad[i].want);
		assert_null(strstr(err.msg, "hunter2"));
	}
}

/* Every prefix of a tricky text parses or fails with a message. */
static int ignore_pair(const char *name, const char *value, int line, void *payload)
{
	(void)name;
	(void)value;
	(void)line;
	(void)payload;
	return 0;
}

static void test_env_prefixes(void **state)
{
	const char *text = "\xEF\xBB\xBF# c\r\nexport A = \"x\\\"y\\\\\n z\" # n\r\n"
			   "B='q\r\nr'\nC=v#w  # n\n  D=\t\n=bad\n";
	size_t len = strlen(text), n;

	(void)state;
	for (n = 0; n <= len; n++) {
		char *copy = strndup(text, n);
		errinfo err = ERRINFO_INIT;

		if (cfg_parse_env_text(copy, "p.env", ignore_pair, NULL, &err) != 0)
			assert_true(strncmp(err.msg, "p.env:", 6) == 0);
		free(copy);
	}
}

static void test_env_file_errors(void **state)
{
	cfg_load_options o = CFG_LOAD_OPTIONS_INIT;
	errinfo err = ERRINFO_INIT;
	char cwd[1024];
	cfg *c = NULL;
	char path[600];

	(void)state;
	/* An explicit file must exist. */
	o.env_file = "/nonexistent/prod.env";
	o.env_file_explicit = 1;
	o.environ = empty_env;
	o.skip_required = 1;
	assert_int_equal(cfg_load(&c, &o, &err), ERR_CONFIG);
	assert_string_equal(err.msg, "env file '/nonexistent/prod.env' does not exist");
	assert_null(c);

	/* The default ./.env may be missing. */
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	snprintf(path, sizeof(path), "%s/nodotenv", testutil_tmpdir());
	assert_int_equal(mkdir(path, 0700), 0);
	assert_int_equal(chdir(path), 0);
	o.env_file = NULL;
	o.env_file_explicit = 0;
	errinfo_clear(&err);
	assert_int_equal(cfg_load(&c, &o, &err), 0);
	cfg_free(c);

	/* ...but when present it is read, and a malformed line is an error
	 * naming the file and the line. */
	write_env("nodotenv/.env", "MCP_PORT=8123\n");
	assert_int_equal(cfg_load(&c, &o, &err), 0);
	assert_int_equal(c->mcp_port, 8123);
	cfg_free(c);
	write_env("nodotenv/.env", "MCP_PORT=8123\nEWS_EMAIL='unterminated\n");
	assert_int_equal(cfg_load(&c, &o, &err), ERR_CONFIG);
	assert_string_equal(err.msg, ".env:2: unterminated single-quoted value for EWS_EMAIL");
	assert_int_equal(chdir(cwd), 0);
}

/* ---- validation messages ---- */

static const struct {
	const char *flag, *want;
} invalid[] = {
	{ "EWS_AUTH_TYPE=kerberos",
	  "EWS_AUTH_TYPE: 'kerberos' is not one of oauth2, basic, ntlm, negotiate (example: EWS_AUTH_TYPE=ntlm)" },
	{ "MCP_PORT=70000", "MCP_PORT: '70000' is out of range 0..65535 (example: MCP_PORT=8000)" },
	{ "MCP_PORT=-1", "MCP_PORT: '-1' is out of range 0..65535 (example: MCP_PORT=8000)" },
	{ "MCP_PORT=abc", "MCP_PORT: 'abc' is not a number from 0 to 65535 (example: MCP_PORT=8000)" },
	{ "MCP_PORT=80x", "MCP_PORT: '80x' is not a number from 0 to 65535 (example: MCP_PORT=8000)" },
	{ "MCP_PORT= 80", "MCP_PORT: ' 80' is not a number from 0 to 65535 (example: MCP_PORT=8000)" },
	{ "REQUEST_TIMEOUT=99999999999999999999",
	  "REQUEST_TIMEOUT: '99999999999999999999' is out of range 1..3600 (example: REQUEST_TIMEOUT=30)" },
	/* Clamped settings still want a number. */
	{ "HTTP_KEEP_ALIVE_TIMEOUT_SECONDS=5m",
	  "HTTP_KEEP_ALIVE_TIMEOUT_SECONDS: '5m' is not a number from 30 to 900 (example: HTTP_KEEP_ALIVE_TIMEOUT_SECONDS=300)" },
	{ "EWS_IMPERSONATION_ENABLED=maybe",
	  "EWS_IMPERSONATION_ENABLED: 'maybe' is not a boolean (true/false, t/f, yes/no, y/n, on/off, 1/0) (example: EWS_IMPERSONATION_ENABLED=true)" },
	{ "EWS_EMAIL=svc", "EWS_EMAIL: 'svc' is not an email address (example: EWS_EMAIL=svc@contoso.com)" },
	{ "EWS_EMAIL=svc@@contoso.com", "EWS_EMAIL: 'svc@@contoso.com' is not an email address (example: EWS_EMAIL=svc@contoso.com)" },
	{ "EWS_EMAIL=svc@contoso..com", "EWS_EMAIL: 'svc@contoso..com' is not an email address (example: EWS_EMAIL=svc@contoso.com)" },
	{ "EWS_EMAIL=s vc@contoso.com", "EWS_EMAIL: 's vc@contoso.com' is not an email address (example: EWS_EMAIL=svc@contoso.com)" },
	{ "EWS_SERVER_VERSION=Exchange2019",
	  "EWS_SERVER_VERSION: 'Exchange2019' is not an EWS schema version (Exchange 2019 rejects it); Exchange 2016, 2019 and Exchange Online use Exchange2016 (example: EWS_SERVER_VERSION=Exchange2016)" },
	{ "EWS_SERVER_VERSION=V2018_01_08",
	  "EWS_SERVER_VERSION: 'V2018_01_08' is a build version a server reports, not one a client may request; use Exchange2016, Exchange2013_SP1 or Exchange2010_SP2 (example: EWS_SERVER_VERSION=Exchange2016)" },
	{ "EWS_SERVER_VERSION=Exchange2007",
	  "EWS_SERVER_VERSION: 'Exchange2007' is not one of Exchange2016, Exchange2013_SP1, Exchange2010_SP2 (example: EWS_SERVER_VERSION=Exchange2016)" },
	{ "MCP_TRANSPORT=websocket",
	  "MCP_TRANSPORT: 'websocket' is not one of stdio, http, sse, streamable-http (example: MCP_TRANSPORT=http)" },
	{ "LOG_LEVEL=verbose", "LOG_LEVEL: 'verbose' is not one of DEBUG, INFO, WARNING, ERROR, CRITICAL (example: LOG_LEVEL=INFO)" },
	{ "LOG_FORMAT=xml", "LOG_FORMAT: 'xml' is not one of text, json (example: LOG_FORMAT=json)" },
	{ "EWS_IMPERSONATION_TYPE=sudo",
	  "EWS_IMPERSONATION_TYPE: 'sudo' is not one of impersonation, delegate, auto (example: EWS_IMPERSONATION_TYPE=delegate)" },
	{ "EWS_IMPERSONATION_ALLOWED=*@sales.contoso.com,,boss@contoso.com",
	  "EWS_IMPERSONATION_ALLOWED: '*@sales.contoso.com,,boss@contoso.com' has an empty entry (item 2); separate the entries with single commas (example: EWS_IMPERSONATION_ALLOWED=*@sales.contoso.com,boss@contoso.com)" },
	{ "EWS_IMPERSONATION_ALLOWED=a@b.com,",
	  "EWS_IMPERSONATION_ALLOWED: 'a@b.com,' has an empty entry (item 2); separate the entries with single commas (example: EWS_IMPERSONATION_ALLOWED=*@sales.contoso.com,boss@contoso.com)" },
	{ "EWS_IMPERSONATION_ALLOWED=a b@c.com",
	  "EWS_IMPERSONATION_ALLOWED: 'a b@c.com' has a blank inside entry 1 (example: EWS_IMPERSONATION_ALLOWED=*@sales.contoso.com,boss@contoso.com)" },
	{ "TIMEZONE=Mars/Olympus",
	  "TIMEZONE: 'Mars/Olympus' is not a known IANA time zone (example: TIMEZONE=Europe/Berlin)" },
	{ "EWS_SERVER_URL=ftp://mail.contoso.com",
	  "EWS_SERVER_URL: 'ftp://mail.contoso.com' is not a host name or an http(s) URL (example: EWS_SERVER_URL=https://mail.contoso.com/EWS/Exchange.asmx)" },
	{ "EWS_SERVER_URL=https:///EWS/Exchange.asmx",
	  "EWS_SERVER_URL: 'https:///EWS/Exchange.asmx' is not a host name or an http(s) URL (example: EWS_SERVER_URL=https://mail.contoso.com/EWS/Exchange.asmx)" },
	{ "EWS_OAUTH_AUTHORITY=login.microsoftonline.com",
	  "EWS_OAUTH_AUTHORITY: 'login.microsoftonline.com' is not an http:// or https:// URL (example: EWS_OAUTH_AUTHORITY=https://login.microsoftonline.com)" },
	{ "EWS_CA_BUNDLE=/nonexistent/ca.pem",
	  "EWS_CA_BUNDLE: '/nonexistent/ca.pem' cannot be read (No such file or directory) (example: EWS_CA_BUNDLE=/etc/ssl/certs/contoso-ca.pem)" },
	{ "MCP_HOST=0.0.0.0 x", "MCP_HOST: '0.0.0.0 x' must not contain blanks (example: MCP_HOST=127.0.0.1)" },
	{ "NO_SUCH_SETTING=1", "unknown setting NO_SUCH_SETTING (run `ews-mcp config` to list them)" },
	{ "MCP_PORT", "setting 'MCP_PORT' must be NAME=value (example: MCP_PORT=8000)" },
};

static void test_invalid_values(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(invalid) / sizeof(invalid[0]); i++) {
		errinfo err = ERRINFO_INIT;
		cfg *c = (cfg *)1;

		assert_int_equal(load_flags(&c, &invalid[i].flag, 1, 1, &err), ERR_CONFIG);
		assert_null(c);
		if (strcmp(err.msg, invalid[i].want) != 0)
			fail_msg("%s:\n got  %s\n want %s", invalid[i].flag, err.msg, invalid[i].want);
	}
}

static void test_valid_values(void **state)
{
	const char *flags[] = {
		"EWS_EMAIL=svc@contoso.com",
		"EWS_SERVER_URL=mail.contoso.com",
		"EWS_AUTH_TYPE=NTLM",
		"EWS_SERVER_VERSION=exchange2013_sp1",
		"LOG_LEVEL=warn",
		"LOG_FORMAT=json",
		"EWS_IMPERSONATION_ENABLED=yes",
		"EWS_IMPERSONATION_TYPE=delegate",
		"EWS_IMPERSONATION_ALLOWED= *@sales.contoso.com , boss@contoso.com",
		"ENABLE_TASKS=off",
		"TIMEZONE=Etc/UTC",
		"AUDIT_LOG_MAX_BYTES=0",
		"AUDIT_LOG_BACKUPS=0",
	};
	errinfo err = ERRINFO_INIT;
	cfg *c = NULL;

	(void)state;
	if (load_flags(&c, flags, sizeof(flags) / sizeof(flags[0]), 1, &err) != 0)
		fail_msg("%s", err.msg);
	assert_int_equal(c->auth_type, CFG_AUTH_NTLM);
	assert_string_equal(c->ews_server_version, "Exchange2013_SP1");
	assert_string_equal(c->log_level, "WARNING");
	assert_int_equal(c->log_json, 1);
	assert_int_equal(c->impersonation_enabled, 1);
	assert_int_equal(c->impersonation_type, CFG_ACCESS_DELEGATE);
	assert_int_equal(c->enable_tasks, 0);
	assert_int_equal(c->audit_log_max_bytes, 0);
	cfg_free(c);
}

/* The intervals the Python server clamps are clamped here too, with one
 * warning each naming the setting, the value given and the value used. */
static void test_clamped_values(void **state)
{
	const char *flags[] = {
		"SSE_KEEPALIVE_INTERVAL_SECONDS=4",
		"HTTP_KEEP_ALIVE_TIMEOUT_SECONDS=901",
		"PROGRESS_NOTIFICATION_INTERVAL_SECONDS=99999999999999999999",
	};
	errinfo err = ERRINFO_INIT;
	cfg *c = NULL;

	(void)state;
	warnings[0] = '\0';
	log_set_hook(capture, NULL);
	if (load_flags(&c, flags, sizeof(flags) / sizeof(flags[0]), 1, &err) != 0)
		fail_msg("%s", err.msg);
	log_set_hook(NULL, NULL);
	assert_int_equal(c->sse_keepalive_interval, 5);
	assert_int_equal(c->http_keepalive_timeout, 900);
	assert_int_equal(c->progress_interval, 60);
	assert_string_equal(warnings,
		"Config:SSE_KEEPALIVE_INTERVAL_SECONDS: 4 is out of range 5..60; using 5\n"
		"Config:HTTP_KEEP_ALIVE_TIMEOUT_SECONDS: 901 is out of range 30..900; using 900\n"
		"Config:PROGRESS_NOTIFICATION_INTERVAL_SECONDS: 99999999999999999999 is out of "
		"range 5..60; using 60\n");
	/* In range: no warning. */
	warnings[0] = '\0';
	log_set_hook(capture, NULL);
	assert_int_equal(cfg_set(c, "PROGRESS_NOTIFICATION_INTERVAL_SECONDS", "5", &err), 0);
	assert_int_equal(cfg_set(c, "HTTP_KEEP_ALIVE_TIMEOUT_SECONDS", "-3", &err), 0);
	log_set_hook(NULL, NULL);
	assert_int_equal(c->progress_interval, 5);
	assert_int_equal(c->http_keepalive_timeout, 30);
	assert_string_equal(warnings,
		"Config:HTTP_KEEP_ALIVE_TIMEOUT_SECONDS: -3 is out of range 30..900; using 30\n");
	cfg_free(c);
}

static void test_bool_parser(void **state)
{
	static const struct {
		const char *in;
		int ret, want;
	} rows[] = {
		{ "true", 0, 1 }, { "TRUE", 0, 1 }, { "1", 0, 1 }, { "yes", 0, 1 }, { "On", 0, 1 },
		{ "false", 0, 0 }, { "0", 0, 0 }, { "no", 0, 0 }, { "OFF", 0, 0 },
		/* pydantic's one-letter forms, which a Python server's .env may use */
		{ "t", 0, 1 }, { "T", 0, 1 }, { "y", 0, 1 }, { "Y", 0, 1 }, { "YES", 0, 1 },
		{ "f", 0, 0 }, { "F", 0, 0 }, { "n", 0, 0 }, { "N", 0, 0 }, { "No", 0, 0 },
		{ "", -1, 0 }, { "2", -1, 0 }, { "truee", -1, 0 }, { "ye", -1, 0 },
		{ "tr", -1, 0 }, { " t", -1, 0 }, { NULL, -1, 0 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		int v = -7;

		assert_int_equal(cfg_parse_bool(&v, rows[i].in), rows[i].ret);
		if (rows[i].ret == 0)
			assert_int_equal(v, rows[i].want);
	}
}

/* ---- required settings ---- */

static const struct {
	const char *flags[6];
	const char *want; /* NULL = loads */
} required[] = {
	{ { NULL },
	  /* a first run names both ways to sign in, not only OAuth's */
	  "missing required settings: EWS_EMAIL, EWS_SERVER_URL, EWS_CLIENT_ID, EWS_CLIENT_SECRET, EWS_TENANT_ID (set them in .env or the environment; example: EWS_EMAIL=svc@contoso.com). Two ways to sign in: Exchange Online with an Entra app registration (EWS_CLIENT_ID, EWS_CLIENT_SECRET, EWS_TENANT_ID; the default EWS_AUTH_TYPE=oauth2), or Exchange on-premises with a service account (EWS_AUTH_TYPE=ntlm, EWS_USERNAME and EWS_PASSWORD)" },
	{ { "EWS_AUTH_TYPE=negotiate" },
	  "missing required settings: EWS_EMAIL, EWS_SERVER_URL (set them in .env or the environment; example: EWS_EMAIL=svc@contoso.com)" },
	{ { "EWS_AUTH_TYPE=negotiate", "EWS_EMAIL=svc@contoso.com" },
	  "missing required setting: EWS_SERVER_URL (autodiscover is not implemented, so the EWS endpoint must be given; example: EWS_SERVER_URL=https://mail.contoso.com/EWS/Exchange.asmx)" },
	{ { "EWS_AUTH_TYPE=negotiate", "EWS_EMAIL=svc@contoso.com", "EWS_SERVER_URL=mail.contoso.com" },
	  NULL },
	{ { "EWS_AUTH_TYPE=ntlm", "EWS_EMAIL=svc@contoso.com", "EWS_SERVER_URL=mail.contoso.com" },
	  "missing required settings: EWS_USERNAME, EWS_PASSWORD (set them in .env or the environment; example: EWS_USERNAME=CONTOSO\\svc-mcp)" },
	{ { "EWS_AUTH_TYPE=basic", "EWS_EMAIL=svc@contoso.com", "EWS_SERVER_URL=mail.contoso.com", "EWS_USERNAME=svc" },
	  "missing required setting: EWS_PASSWORD (set it in .env or the environment; example: EWS_PASSWORD=correct-horse-battery)" },
	{ { "EWS_EMAIL=svc@contoso.com", "EWS_SERVER_URL=mail.contoso.com", "EWS_CLIENT_ID=x", "EWS_TENANT_ID=t" },
	  "missing required setting: EWS_CLIENT_SECRET (set it in .env or the environment; example: EWS_CLIENT_SECRET=s3cr3t-value)" },
	{ { "EWS_EMAIL=svc@contoso.com", "EWS_SERVER_URL=mail.contoso.com", "EWS_CLIENT_ID=x", "EWS_TENANT_ID=t", "EWS_CLIENT_SECRET=s" },
	  NULL },
	/* An empty value counts as missing. */
	{ { "EWS_AUTH_TYPE=negotiate", "EWS_EMAIL=", "EWS_SERVER_URL=mail.contoso.com" },
	  "missing required setting: EWS_EMAIL (set it in .env or the environment; example: EWS_EMAIL=svc@contoso.com)" },
};

static void test_required(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(required) / sizeof(required[0]); i++) {
		errinfo err = ERRINFO_INIT;
		cfg *c = NULL;
		int n = 0, rc;

		while (n < 6 && required[i].flags[n])
			n++;
		rc = load_flags(&c, required[i].flags, n, 0, &err);
		if (!required[i].want) {
			if (rc != 0)
				fail_msg("row %zu: %s", i, err.msg);
			cfg_free(c);
			continue;
		}
		assert_int_equal(rc, ERR_CONFIG);
		if (strcmp(err.msg, required[i].want) != 0)
			fail_msg("row %zu:\n got  %s\n want %s", i, err.msg, required[i].want);
	}
	/* skip_required (the demo) loads without any of them. */
	{
		errinfo err = ERRINFO_INIT;
		cfg *c = NULL;

		assert_int_equal(load_flags(&c, NULL, 0, 1, &err), 0);
		cfg_free(c);
	}
}

/* ---- dump, masking, set, reference ---- */

static void test_dump_masks_secrets(void **state)
{
	const char *flags[] = {
		"EWS_AUTH_TYPE=basic", "EWS_EMAIL=svc@contoso.com",
		"EWS_SERVER_URL=https://mail.contoso.com/EWS/Exchange.asmx",
		"EWS_USERNAME=CONTOSO\\svc", "EWS_PASSWORD=hunter2-very-secret",
		"MCP_API_KEY=abc", "MCP_SERVER_NAME=my server #1",
	};
	errinfo err = ERRINFO_INIT;
	cfg *c = NULL;
	char *text;

	(void)state;
	assert_int_equal(load_flags(&c, flags, sizeof(flags) / sizeof(flags[0]), 0, &err), 0);
	text = dump(c);
	assert_null(strstr(text, "hunter2"));
	assert_non_null(strstr(text, "EWS_PASSWORD=****  # flag\n"));
	assert_non_null(strstr(text, "MCP_API_KEY=****  # flag\n"));
	assert_non_null(strstr(text, "EWS_CLIENT_SECRET=(unset)  # default\n"));
	assert_non_null(strstr(text, "EWS_ATTACHMENT_DIR=(unset)  # default\n"));
	assert_non_null(strstr(text, "EWS_AUTH_TYPE=basic  # flag\n"));
	assert_non_null(strstr(text, "EWS_USERNAME=CONTOSO\\svc  # flag\n"));
	assert_non_null(strstr(text, "MCP_SERVER_NAME='my server #1'  # flag\n"));
	assert_non_null(strstr(text, "ENABLE_EMAIL=true  # default\n"));
	free(text);
	cfg_free(c);
}

/* The dump is itself a valid .env: what it prints reads back the same. */
static int find_name(const char *name, const char *value, int line, void *payload)
{
	const char **want = payload;

	(void)line;
	if (strcmp(name, want[0]) == 0)
		want[2] = strcmp(value, want[1]) == 0 ? "same" : "different";
	return 0;
}

/* Each value is printed so a reader sees it as it is (no doubled
 * backslashes where none are needed), and the line reads back the same. */
static void test_dump_reparses(void **state)
{
	static const struct { const char *value, *line; } rows[] = {
		{ "CONTOSO\\svc-mcp", "CONTOSO\\svc-mcp" },
		{ "C:\\new\\top", "C:\\new\\top" },
		{ "trailing\\", "trailing\\" },
		{ "my server #1", "'my server #1'" },
		{ "#first", "'#first'" },
		{ "\"quoted\" \\ name", "'\"quoted\" \\ name'" },
		{ "back\\ at the end\\", "'back\\ at the end\\'" },
		{ "a \"quoted\" \\ name\twith tab", "\"a \\\"quoted\\\" \\ name\\twith tab\"" },
		{ "it's", "\"it's\"" },
		{ "it's C:\\new \\\\ \\", "\"it's C:\\\\new \\\\\\ \\\\\"" },
		{ "two\nlines", "\"two\\nlines\"" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		char flag[256], want[300];
		const char *flags[1] = { flag };
		const char *probe[3] = { "MCP_SERVER_NAME", rows[i].value, NULL };
		errinfo err = ERRINFO_INIT;
		cfg *c = NULL;
		char *text;

		snprintf(flag, sizeof(flag), "MCP_SERVER_NAME=%s", rows[i].value);
		snprintf(want, sizeof(want), "\nMCP_SERVER_NAME=%s  # flag\n", rows[i].line);
		assert_int_equal(load_flags(&c, flags, 1, 1, &err), 0);
		text = dump(c);
		if (!strstr(text, want))
			fail_msg("row %zu: the dump lacks%s", i, want);
		assert_int_equal(cfg_parse_env_text(text, "dump", find_name, probe, &err), 0);
		if (!probe[2] || strcmp(probe[2], "same") != 0)
			fail_msg("row %zu: %s reads back %s", i, rows[i].line,
				 probe[2] ? probe[2] : "not at all");
		free(text);
		cfg_free(c);
	}
}

static void test_cfg_set(void **state)
{
	errinfo err = ERRINFO_INIT;
	cfg *c = NULL;
	char *text;

	(void)state;
	assert_int_equal(load_flags(&c, NULL, 0, 1, &err), 0);
	assert_int_equal(cfg_set(c, "EWS_SERVER_URL", "http://127.0.0.1:4321/EWS/Exchange.asmx", &err), 0);
	assert_string_equal(c->ews_server_url, "http://127.0.0.1:4321/EWS/Exchange.asmx");
	assert_int_equal(cfg_set(c, "mcp_port", "9100", &err), 0);
	assert_int_equal(c->mcp_port, 9100);
	assert_int_equal(cfg_set(c, "MCP_PORT", "-1", &err), ERR_CONFIG);
	assert_string_equal(err.msg, "MCP_PORT: '-1' is out of range 0..65535 (example: MCP_PORT=8000)");
	assert_int_equal(c->mcp_port, 9100); /* unchanged on error */
	errinfo_clear(&err);
	assert_int_equal(cfg_set(c, "EWS_NOPE", "1", &err), ERR_CONFIG);
	errinfo_clear(&err);
	assert_int_equal(cfg_set(c, "LOG_LEVEL", "critical", &err), 0);
	assert_string_equal(c->log_level, "ERROR");
	assert_int_equal(cfg_set(c, "LOG_LEVEL", "Fatal", &err), 0);
	assert_string_equal(c->log_level, "ERROR");
	assert_int_equal(cfg_set(c, "EWS_SERVER_URL", NULL, &err), 0); /* back to unset */
	assert_null(c->ews_server_url);
	text = dump(c);
	assert_non_null(strstr(text, "MCP_PORT=9100  # flag\n"));
	free(text);
	cfg_free(c);
	cfg_free(NULL);
}

static void test_reference(void **state)
{
	char *text = NULL, *line;
	size_t len = 0, rows = 0;
	FILE *f = open_memstream(&text, &len);

	(void)state;
	cfg_write_reference(f);
	fclose(f);
	assert_true(strncmp(text, "| Variable | Default | Meaning |\n|---|---|---|\n", 45) == 0);
	for (line = strstr(text, "\n| `"); line; line = strstr(line + 1, "\n| `")) {
		const char *end = strchr(line + 1, '\n');
		const char *last = end - 2;

		rows++;
		/* "| `NAME` | default | meaning |": meaning is not empty */
		assert_true(end && *last != '|' && last[1] == '|');
	}
	assert_true(rows >= 50);
	assert_non_null(strstr(text, "| `MCP_PORT` | `8000` | TCP port of the HTTP transport; 0 picks a free one (the URL is printed at start). Range 0..65535. |"));
	assert_non_null(strstr(text, "| `EWS_PASSWORD` | (unset) |"));
	assert_non_null(strstr(text, "One of: oauth2, basic, ntlm, negotiate."));
	free(text);
}

/* ---- unknown names ---- */

static void test_unknown_names_warn(void **state)
{
	const char *path = write_env("unknown.env",
				     "EWS_PASWORD=typo\n"
				     "ENABLE_AI=true\n"
				     "AI_PROVIDER=openai\n"
				     "EWS_MEMORY_DIR=data/memory\n"
				     "API_TITLE=Mail\n"
				     "ENABLE_AGENT=false\n"
				     "COMPOSE_PROJECT_NAME=x\n");
	char *env[] = { (char *)"EWS_FOO=1", (char *)"ews_bar=2", (char *)"EMBEDDING_WARMUP_FOLDERS=inbox",
			(char *)"TCP_KEEPALIVE_IDLE_SECONDS=60", (char *)"HOME=/root",
			(char *)"enable_ai=1", (char *)"AI_MODEL=gpt", NULL };
	cfg_load_options o = CFG_LOAD_OPTIONS_INIT;
	errinfo err = ERRINFO_INIT;
	cfg *c = NULL;

	(void)state;
	warnings[0] = '\0';
	log_set_hook(capture, NULL);
	o.env_file = path;
	o.env_file_explicit = 1;
	o.environ = env;
	o.skip_required = 1;
	assert_int_equal(cfg_load(&c, &o, &err), 0);
	log_set_hook(NULL, NULL);
	assert_non_null(strstr(warnings, "Config:unknown setting EWS_PASWORD ignored ("));
	assert_non_null(strstr(warnings, "unknown.env line 1)"));
	assert_non_null(strstr(warnings, "Config:unknown setting EWS_FOO ignored (environment)\n"));
	assert_non_null(strstr(warnings, "Config:unknown setting ews_bar ignored (environment)\n"));
	/* Settings of Python server features we do not have are accepted and
	 * named in one warning (each once, whatever its case or source). */
	assert_non_null(strstr(warnings,
		"Config:settings of Python server features this server does not have are "
		"ignored: ENABLE_AI, AI_PROVIDER, EWS_MEMORY_DIR, API_TITLE, ENABLE_AGENT, "
		"EMBEDDING_WARMUP_FOLDERS, TCP_KEEPALIVE_IDLE_SECONDS, AI_MODEL\n"));
	assert_int_equal(count_of(warnings, "ENABLE_AI"), 1);
	assert_int_equal(count_of(warnings, "\n"), 4);
	assert_null(strstr(warnings, "COMPOSE"));
	assert_null(strstr(warnings, "HOME"));
	cfg_free(c);

	/* Without any, no such warning. */
	warnings[0] = '\0';
	log_set_hook(capture, NULL);
	o.env_file = "/nonexistent/.env";
	o.env_file_explicit = 0;
	o.environ = env + 4; /* HOME and later */
	env[5] = NULL;
	assert_int_equal(cfg_load(&c, &o, &err), 0);
	log_set_hook(NULL, NULL);
	assert_string_equal(warnings, "");
	cfg_free(c);
}

/* The Python project's .env.example style loads as is. */
static void test_python_style_env(void **state)
{
	const char *path = write_env("python.env",
				     "# Exchange Web Services\r\n"
				     "EWS_SERVER_URL=https://mail.company.com/EWS/Exchange.asmx\r\n"
				     "EWS_EMAIL=user@company.com\r\n"
				     "EWS_AUTODISCOVER=false\r\n"
				     "EWS_AUTH_TYPE=oauth2  # oauth2, basic, ntlm\r\n"
				     "EWS_CLIENT_ID=your-client-id\r\n"
				     "EWS_CLIENT_SECRET=your-client-secret\r\n"
				     "EWS_TENANT_ID=your-tenant-id\r\n"
				     "\r\n"
				     "ENABLE_AGENT=true\r\n"
				     "MCP_TRANSPORT=sse\r\n"
				     "TIMEZONE=UTC\r\n"
				     "LOG_LEVEL=CRITICAL\r\n"
				     "RATE_LIMIT_ENABLED=Y\r\n"
				     "ENABLE_TASKS=f\r\n");
	cfg_load_options o = CFG_LOAD_OPTIONS_INIT;
	errinfo err = ERRINFO_INIT;
	cfg *c = NULL;

	(void)state;
	o.env_file = path;
	o.env_file_explicit = 1;
	o.environ = empty_env;
	if (cfg_load(&c, &o, &err) != 0)
		fail_msg("%s", err.msg);
	assert_int_equal(c->auth_type, CFG_AUTH_OAUTH2);
	assert_int_equal(c->transport, CFG_TRANSPORT_HTTP);
	assert_int_equal(c->ews_autodiscover, 0);
	assert_string_equal(c->ews_client_secret, "your-client-secret");
	assert_int_equal(c->rate_limit_enabled, 1);
	assert_int_equal(c->enable_tasks, 0);
	assert_string_equal(c->log_level, "ERROR"); /* CRITICAL: nothing logs above ERROR */
	cfg_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_precedence),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_env_case_and_empty),
		cmocka_unit_test(test_transport_aliases),
		cmocka_unit_test(test_env_forms),
		cmocka_unit_test(test_env_malformed),
		cmocka_unit_test(test_env_prefixes),
		cmocka_unit_test(test_env_file_errors),
		cmocka_unit_test(test_invalid_values),
		cmocka_unit_test(test_valid_values),
		cmocka_unit_test(test_clamped_values),
		cmocka_unit_test(test_bool_parser),
		cmocka_unit_test(test_required),
		cmocka_unit_test(test_dump_masks_secrets),
		cmocka_unit_test(test_dump_reparses),
		cmocka_unit_test(test_cfg_set),
		cmocka_unit_test(test_reference),
		cmocka_unit_test(test_unknown_names_warn),
		cmocka_unit_test(test_python_style_env),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
