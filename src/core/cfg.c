/* cfg.c - configuration loading, validation and reporting (see cfg.h).
 *
 * Everything about a variable is in one row of `vars` below: its name,
 * type, default, limits or allowed values, whether it is secret, an
 * example of a good value, where it lives in struct cfg, and a one-line
 * meaning. Loading collects raw text per variable from the four sources
 * (defaults < .env < environment < overrides), then converts and checks
 * every variable in table order, then checks the required ones. The same
 * rows drive cfg_set, cfg_dump and cfg_write_reference, so a variable
 * cannot be documented, dumped or validated differently in two places.
 *
 * An empty value ("NAME=" in .env, or an empty environment variable as
 * docker-compose produces for an unset ${NAME}) means "not set": the
 * variable keeps its default.
 */
#include "core/cfg.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/log.h"
#include "core/tz.h"

extern char **environ;

#define ENV_FILE_MAX (1024 * 1024)

typedef enum var_type { V_BOOL, V_LONG, V_STR, V_ENUM } var_type;

typedef struct choice {
	const char *text;
	int value;
} choice;

/* Checks a string value. 0, or -1 with the problem written to why (the
 * text after "NAME: 'value' "). *canon may be set to a static canonical
 * spelling to store instead of the value. */
typedef int (*check_fn)(const char *value, const char **canon, buf *why);

#define F_SECRET 1
/* V_LONG: a value out of range is clamped to the nearest bound with a
 * warning, as the Python server clamps it, instead of stopping the start. */
#define F_CLAMP 2

typedef struct var {
	const char *name;
	var_type type;
	const char *def;       /* default as text; NULL = unset */
	long min, max;         /* V_LONG */
	const choice *choices; /* V_ENUM, ends with { NULL, 0 } */
	check_fn check;        /* V_STR */
	int flags;
	const char *example;   /* a good value */
	size_t offset;         /* of the field in struct cfg */
	const char *meaning;   /* one line, for the reference */
} var;

enum { SRC_DEFAULT = 0, SRC_DOTENV, SRC_ENV, SRC_FLAG };
static const char *const source_names[] = { "default", ".env", "environment", "flag" };

/* ---- checks of string values ---- */

static int has_space(const char *s)
{
	for (; *s; s++)
		if (isspace((unsigned char)*s) || (unsigned char)*s < 0x20)
			return 1;
	return 0;
}

static int check_email(const char *v, const char **canon, buf *why)
{
	const char *at = strchr(v, '@'), *p;
	int label = 0;

	(void)canon;
	if (!at || at == v || strchr(at + 1, '@') || has_space(v) ||
	    at - v > 64 || !at[1])
		goto bad;
	for (p = at + 1; *p; p++) {
		if (*p == '.') {
			if (label == 0 || p[-1] == '-')
				goto bad;
			label = 0;
		} else if (isalnum((unsigned char)*p) || (*p == '-' && label > 0)) {
			label++;
		} else {
			goto bad;
		}
	}
	if (label == 0 || p[-1] == '-')
		goto bad;
	return 0;
bad:
	buf_puts(why, "is not an email address");
	return -1;
}

/* host[:port][/path], with an optional http:// or https:// scheme. */
static int url_ok(const char *v, int need_scheme)
{
	const char *host = v, *end;

	if (!*v || has_space(v))
		return 0;
	if (strstr(v, "://")) {
		if (strncasecmp(v, "https://", 8) == 0)
			host = v + 8;
		else if (strncasecmp(v, "http://", 7) == 0)
			host = v + 7;
		else
			return 0;
	} else if (need_scheme) {
		return 0;
	}
	end = host + strcspn(host, ":/?#");
	return end > host;
}

static int check_server_url(const char *v, const char **canon, buf *why)
{
	(void)canon;
	if (url_ok(v, 0))
		return 0;
	buf_puts(why, "is not a host name or an http(s) URL");
	return -1;
}

static int check_http_url(const char *v, const char **canon, buf *why)
{
	(void)canon;
	if (url_ok(v, 1))
		return 0;
	buf_puts(why, "is not an http:// or https:// URL");
	return -1;
}

/* Only the versions a client may request; see ews-protocol notes on
 * RequestServerVersion: Exchange2019 does not exist in the schema and
 * V20xx strings are what servers report, not what they accept. */
static int check_server_version(const char *v, const char **canon, buf *why)
{
	static const char *const ok[] = { "Exchange2016", "Exchange2013_SP1",
					  "Exchange2010_SP2" };
	size_t i;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		if (strcasecmp(v, ok[i]) == 0) {
			*canon = ok[i];
			return 0;
		}
	}
	if (strncasecmp(v, "Exchange2019", 12) == 0)
		buf_puts(why, "is not an EWS schema version (Exchange 2019 rejects it); "
			 "Exchange 2016, 2019 and Exchange Online use Exchange2016");
	else if ((v[0] == 'V' || v[0] == 'v') && isdigit((unsigned char)v[1]))
		buf_puts(why, "is a build version a server reports, not one a client may "
			 "request; use Exchange2016, Exchange2013_SP1 or Exchange2010_SP2");
	else
		buf_puts(why, "is not one of Exchange2016, Exchange2013_SP1, Exchange2010_SP2");
	return -1;
}

/* Python's logging also has CRITICAL (alias FATAL) above ERROR. Nothing
 * here logs at a level above ERROR, so CRITICAL keeps only the errors. */
static int check_log_level(const char *v, const char **canon, buf *why)
{
	log_level level;

	if (strcasecmp(v, "CRITICAL") == 0 || strcasecmp(v, "FATAL") == 0) {
		*canon = log_level_name(LOG_LEVEL_ERROR);
		return 0;
	}
	if (log_level_parse(&level, v) == 0) {
		*canon = log_level_name(level);
		return 0;
	}
	buf_puts(why, "is not one of DEBUG, INFO, WARNING, ERROR, CRITICAL");
	return -1;
}

static int check_timezone(const char *v, const char **canon, buf *why)
{
	errinfo e = ERRINFO_INIT;
	const tz_zone *zone;

	(void)canon;
	if (tz_zone_get(&zone, v, &e) == 0)
		return 0;
	if (e.code == ERR_NOTFOUND && strstr(e.msg, "tzdata"))
		buf_puts(why, "cannot be checked: the time zone database is missing (install tzdata)");
	else
		buf_puts(why, "is not a known IANA time zone");
	return -1;
}

/* Comma-separated items, each non-empty and without blanks inside. */
static int check_list(const char *v, const char **canon, buf *why)
{
	const char *p = v;
	int item = 1;

	(void)canon;
	for (;;) {
		const char *end = p + strcspn(p, ",");
		const char *a = p, *b = end;

		while (a < b && isspace((unsigned char)*a))
			a++;
		while (b > a && isspace((unsigned char)b[-1]))
			b--;
		if (a == b) {
			buf_printf(why, "has an empty entry (item %d); separate the entries with single commas", item);
			return -1;
		}
		for (; a < b; a++) {
			if (isspace((unsigned char)*a)) {
				buf_printf(why, "has a blank inside entry %d", item);
				return -1;
			}
		}
		if (!*end)
			return 0;
		p = end + 1;
		item++;
	}
}

static int check_token(const char *v, const char **canon, buf *why)
{
	(void)canon;
	if (!has_space(v))
		return 0;
	buf_puts(why, "must not contain blanks");
	return -1;
}

static int check_readable(const char *v, const char **canon, buf *why)
{
	(void)canon;
	if (access(v, R_OK) == 0)
		return 0;
	buf_printf(why, "cannot be read (%s)", strerror(errno));
	return -1;
}

/* ---- the table ---- */

static const choice auth_choices[] = {
	{ "oauth2", CFG_AUTH_OAUTH2 }, { "basic", CFG_AUTH_BASIC },
	{ "ntlm", CFG_AUTH_NTLM }, { "negotiate", CFG_AUTH_NEGOTIATE },
	{ NULL, 0 }
};
static const choice access_choices[] = {
	{ "impersonation", CFG_ACCESS_IMPERSONATION },
	{ "delegate", CFG_ACCESS_DELEGATE },
	{ "auto", CFG_ACCESS_AUTO }, { NULL, 0 }
};
static const choice transport_choices[] = {
	{ "stdio", CFG_TRANSPORT_STDIO }, { "http", CFG_TRANSPORT_HTTP },
	{ "sse", CFG_TRANSPORT_HTTP }, { "streamable-http", CFG_TRANSPORT_HTTP },
	{ NULL, 0 }
};
static const choice format_choices[] = {
	{ "text", 0 }, { "json", 1 }, { NULL, 0 }
};

#define OFF(field) offsetof(cfg, field)
#define BOOL(n, f, d, m) { n, V_BOOL, d, 0, 0, NULL, NULL, 0, (d)[0] == 't' ? "false" : "true", OFF(f), m }
#define LONG(n, f, d, lo, hi, ex, m) { n, V_LONG, d, lo, hi, NULL, NULL, 0, ex, OFF(f), m }
#define CLAMPED(n, f, d, lo, hi, ex, m) { n, V_LONG, d, lo, hi, NULL, NULL, F_CLAMP, ex, OFF(f), m }
#define STR(n, f, d, chk, fl, ex, m) { n, V_STR, d, 0, 0, NULL, chk, fl, ex, OFF(f), m }
#define ENUM(n, f, d, ch, ex, m) { n, V_ENUM, d, 0, 0, ch, NULL, 0, ex, OFF(f), m }

static const var vars[] = {
	/* Exchange */
	STR("EWS_EMAIL", ews_email, NULL, check_email, 0, "svc@contoso.com",
	    "SMTP address of the service account's own mailbox (required)."),
	STR("EWS_SERVER_URL", ews_server_url, NULL, check_server_url, 0,
	    "https://mail.contoso.com/EWS/Exchange.asmx",
	    "EWS endpoint: a host, https://host, or the full /EWS/Exchange.asmx URL (required: autodiscover is not implemented)."),
	BOOL("EWS_AUTODISCOVER", ews_autodiscover, "true",
	     "Accepted for compatibility with the Python server; autodiscover is not implemented, so EWS_SERVER_URL must be set."),
	ENUM("EWS_AUTH_TYPE", auth_type, "oauth2", auth_choices, "ntlm",
	     "How to sign in to Exchange: oauth2 (app-only client credentials), basic, ntlm, or negotiate (the process's Kerberos ticket)."),
	STR("EWS_USERNAME", ews_username, NULL, NULL, 0, "CONTOSO\\svc-mcp",
	    "Account for basic and ntlm, as DOMAIN\\user or user@domain (required for them)."),
	STR("EWS_PASSWORD", ews_password, NULL, NULL, F_SECRET, "correct-horse-battery",
	    "Password for basic and ntlm (required for them; secret)."),
	STR("EWS_CLIENT_ID", ews_client_id, NULL, NULL, 0,
	    "8a1b2c3d-0000-4000-8000-1234567890ab",
	    "Application (client) id registered in Entra ID, for oauth2 (required for it)."),
	STR("EWS_CLIENT_SECRET", ews_client_secret, NULL, NULL, F_SECRET, "s3cr3t-value",
	    "Client secret of that application, for oauth2 (required for it; secret)."),
	STR("EWS_TENANT_ID", ews_tenant_id, NULL, check_token, 0, "contoso.onmicrosoft.com",
	    "Entra ID tenant id or domain, for oauth2 (required for it)."),
	STR("EWS_OAUTH_AUTHORITY", ews_oauth_authority, "https://login.microsoftonline.com",
	    check_http_url, 0, "https://login.microsoftonline.com",
	    "OAuth authority; tokens come from `<authority>/<tenant>/oauth2/v2.0/token`."),
	STR("EWS_SERVER_VERSION", ews_server_version, "Exchange2016", check_server_version, 0,
	    "Exchange2016",
	    "RequestServerVersion sent to Exchange: Exchange2016 (Exchange 2016, 2019 and Online), Exchange2013_SP1 or Exchange2010_SP2."),
	BOOL("EWS_INSECURE_SKIP_VERIFY", ews_insecure_skip_verify, "false",
	     "Turns off TLS certificate checks (tests only; logged as a warning)."),
	STR("EWS_CA_BUNDLE", ews_ca_bundle, NULL, check_readable, 0,
	    "/etc/ssl/certs/contoso-ca.pem",
	    "PEM file of CA certificates to trust for a private PKI."),

	/* Other mailboxes */
	BOOL("EWS_IMPERSONATION_ENABLED", impersonation_enabled, "false",
	     "Allows the target_mailbox argument, i.e. access to other users' mailboxes."),
	ENUM("EWS_IMPERSONATION_TYPE", impersonation_type, "impersonation", access_choices,
	     "delegate",
	     "How other mailboxes are reached: impersonation (ApplicationImpersonation role), delegate (folder permissions), or auto (impersonation where Exchange grants it for the mailbox, delegate access where it does not; decided per mailbox on its first request)."),
	STR("EWS_IMPERSONATION_ALLOWED", impersonation_allowed, NULL, check_list, 0,
	    "*@sales.contoso.com,boss@contoso.com",
	    "Optional allow-list of target mailboxes: comma-separated glob patterns; unset allows any mailbox Exchange allows."),
	LONG("EWS_MAILBOX_CACHE_SIZE", mailbox_cache_size, "256", 1, 100000, "256",
	     "Most mailbox contexts (access mode, folder ids) kept in memory."),
	LONG("EWS_MAX_CONCURRENCY_PER_MAILBOX", max_concurrency_per_mailbox, "4", 1, 64, "4",
	     "Most EWS requests in flight at once for one mailbox."),

	/* Files */
	STR("EWS_ATTACHMENT_DIR", attachment_dir, NULL, NULL, 0, "/srv/ews-mcp/outgoing",
	    "The only folder local files may be attached from; unset refuses local files."),
	STR("EWS_DOWNLOAD_DIR", download_dir, "downloads", NULL, 0, "/srv/ews-mcp/downloads",
	    "Folder that downloaded attachments are written to (never outside it)."),
	STR("DATA_DIR", data_dir, "data", NULL, 0, "/var/lib/ews-mcp",
	    "Folder for local state such as the send idempotency ledger."),
	LONG("MAX_ATTACHMENT_SIZE", max_attachment_size, "157286400", 1, 2147483647L,
	     "157286400", "Largest attachment accepted or downloaded, in bytes."),

	/* MCP server */
	STR("MCP_SERVER_NAME", mcp_server_name, "ews-mcp-server", NULL, 0, "ews-mcp-server",
	    "Server name reported to MCP clients."),
	ENUM("MCP_TRANSPORT", transport, "stdio", transport_choices, "http",
	     "stdio, or http for Streamable HTTP (sse and streamable-http mean http)."),
	STR("MCP_HOST", mcp_host, "127.0.0.1", check_token, 0, "127.0.0.1",
	    "Address the HTTP transport binds to; a non-loopback address needs MCP_API_KEY."),
	LONG("MCP_PORT", mcp_port, "8000", 0, 65535, "8000",
	     "TCP port of the HTTP transport; 0 picks a free one (the URL is printed at start)."),
	STR("MCP_API_KEY", mcp_api_key, NULL, NULL, F_SECRET, "long-random-string",
	    "Key HTTP clients must present (Authorization: Bearer or X-API-Key; secret)."),
	STR("MCP_ALLOWED_ORIGINS", mcp_allowed_origins, NULL, check_list, 0,
	    "https://app.contoso.com,http://localhost:3000",
	    "Browser Origin values the HTTP transport accepts besides localhost, comma-separated."),

	/* Behaviour */
	STR("TIMEZONE", timezone, "UTC", check_timezone, 0, "Europe/Berlin",
	    "IANA time zone for times given without an offset and for times in results."),
	STR("LOG_LEVEL", log_level, "INFO", check_log_level, 0, "INFO",
	    "Least severe log level written to stderr: DEBUG, INFO, WARNING or ERROR (CRITICAL, as the Python server allows, means ERROR)."),
	ENUM("LOG_FORMAT", log_json, "text", format_choices, "json",
	     "Log lines as text (LEVEL:component:message) or json (one object per line)."),
	LONG("REQUEST_TIMEOUT", request_timeout, "30", 1, 3600, "30",
	     "Seconds an EWS request may take before it is abandoned."),
	LONG("CONNECTION_POOL_SIZE", connection_pool_size, "10", 1, 1000, "10",
	     "Most HTTP connections kept open to Exchange."),
	BOOL("ENABLE_CACHE", enable_cache, "true",
	     "Cache folder ids and other lookups between calls."),
	LONG("CACHE_TTL", cache_ttl, "300", 0, 86400, "300",
	     "Seconds a cached lookup stays valid."),
	BOOL("RATE_LIMIT_ENABLED", rate_limit_enabled, "true",
	     "Limit the number of tool calls per minute, for each target mailbox."),
	LONG("RATE_LIMIT_REQUESTS_PER_MINUTE", rate_limit_per_minute, "25", 1, 100000, "25",
	     "Tool calls allowed per minute for one mailbox when rate limiting is on."),
	BOOL("ENABLE_EMAIL", enable_email, "true", "Offer the mail tools."),
	BOOL("ENABLE_CALENDAR", enable_calendar, "true", "Offer the calendar tools."),
	BOOL("ENABLE_CONTACTS", enable_contacts, "true", "Offer the contact tools."),
	BOOL("ENABLE_TASKS", enable_tasks, "true", "Offer the task tools."),
	BOOL("ENABLE_FOLDERS", enable_folders, "true", "Offer the folder tools."),
	BOOL("ENABLE_ATTACHMENTS", enable_attachments, "true", "Offer the attachment tools."),

	/* Audit log */
	BOOL("ENABLE_AUDIT_LOG", audit_enabled, "true",
	     "Write one JSON line per tool call to AUDIT_LOG_PATH."),
	STR("AUDIT_LOG_PATH", audit_log_path, "logs/audit.log", NULL, 0,
	    "/var/log/ews-mcp/audit.log", "File the audit log is appended to."),
	LONG("AUDIT_LOG_MAX_BYTES", audit_log_max_bytes, "20971520", 0, LONG_MAX, "20971520",
	     "Size at which the audit log is rotated; 0 never rotates."),
	LONG("AUDIT_LOG_BACKUPS", audit_log_backups, "10", 0, 1000, "10",
	     "Rotated audit files kept (path.1 ... path.N); 0 truncates instead."),

	/* HTTP transport tuning */
	BOOL("SSE_KEEPALIVE_ENABLED", sse_keepalive_enabled, "true",
	     "Send keep-alive comments on open HTTP event streams."),
	CLAMPED("SSE_KEEPALIVE_INTERVAL_SECONDS", sse_keepalive_interval, "15", 5, 60, "15",
	     "Seconds between keep-alive comments."),
	CLAMPED("HTTP_KEEP_ALIVE_TIMEOUT_SECONDS", http_keepalive_timeout, "300", 30, 900, "300",
	     "Seconds an idle HTTP connection is kept open."),
	BOOL("PROGRESS_NOTIFICATION_ENABLED", progress_enabled, "true",
	     "Send notifications/progress during long calls when the client asked for them."),
	CLAMPED("PROGRESS_NOTIFICATION_INTERVAL_SECONDS", progress_interval, "10", 5, 60, "10",
	     "Seconds between progress notifications."),
};

#define NVARS (sizeof(vars) / sizeof(vars[0]))

struct cfg_meta {
	unsigned char source[NVARS];
};

/* Settings of Python server features this server does not have (the AI
 * and agent tools, the REST/OpenAPI front, embeddings warm-up, the agent
 * store, find_person's mail-history scan, TCP keep-alive tuning). An
 * existing .env keeps working: they are ignored, and named together in
 * one warning so nobody believes they still do something. */
static const char *const foreign_names[] = {
	"ENABLE_AGENT", "ENABLE_AI", "ENABLE_SEMANTIC_SEARCH",
	"ENABLE_EMBEDDING_WARMUP", "ENABLE_EMAIL_CLASSIFICATION",
	"ENABLE_SMART_REPLIES", "ENABLE_EMAIL_SUMMARIZATION",
	"EWS_MEMORY_DIR", "EWS_EMAIL_HISTORY_TIMEOUT",
};
static const char *const foreign_prefixes[] = { "AI_", "API_", "EMBEDDING_", "TCP_KEEPALIVE_" };

/* The foreign settings one load met, for its single warning. */
#define FOREIGN_MAX 32
typedef struct foreign_seen {
	char *names[FOREIGN_MAX];
	size_t count;
	size_t more;       /* beyond FOREIGN_MAX */
} foreign_seen;

/* ---- lookups ---- */

static const var *find_var(const char *name, size_t *index)
{
	size_t i;

	for (i = 0; i < NVARS; i++) {
		if (strcasecmp(vars[i].name, name) == 0) {
			if (index)
				*index = i;
			return &vars[i];
		}
	}
	return NULL;
}

static int is_foreign(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(foreign_names) / sizeof(foreign_names[0]); i++)
		if (strcasecmp(name, foreign_names[i]) == 0)
			return 1;
	for (i = 0; i < sizeof(foreign_prefixes) / sizeof(foreign_prefixes[0]); i++)
		if (strncasecmp(name, foreign_prefixes[i], strlen(foreign_prefixes[i])) == 0)
			return 1;
	return 0;
}

/* A name we do not know: Python-only ones are collected for one warning
 * at the end of the load, EWS_* ones are probably typos and are warned
 * about at once, anything else is some other program's. */
static void note_unknown(foreign_seen *seen, const char *name, const char *where)
{
	size_t i;

	if (is_foreign(name)) {
		log_debug("Config", "%s: %s is a setting of the Python server this server does not use",
			  where, name);
		for (i = 0; i < seen->count; i++)
			if (strcasecmp(seen->names[i], name) == 0)
				return;
		if (seen->count < FOREIGN_MAX && (seen->names[seen->count] = strdup(name)))
			seen->count++;
		else
			seen->more++;
	} else if (strncasecmp(name, "EWS_", 4) == 0) {
		log_warning("Config", "unknown setting %s ignored (%s)", name, where);
	}
}

static void warn_foreign(const foreign_seen *seen)
{
	buf names = BUF_INIT(4096);
	size_t i;

	if (!seen->count && !seen->more)
		return;
	for (i = 0; i < seen->count; i++)
		buf_printf(&names, "%s%s", i ? ", " : "", seen->names[i]);
	if (seen->more)
		buf_printf(&names, " and %zu more", seen->more);
	log_warning("Config", "settings of Python server features this server does not have "
		    "are ignored: %s", buf_cstr(&names));
	buf_dispose(&names);
}

static void foreign_dispose(foreign_seen *seen)
{
	size_t i;

	for (i = 0; i < seen->count; i++)
		free(seen->names[i]);
	seen->count = seen->more = 0;
}

/* pydantic's spellings (pydantic-core str_as_bool), compared ignoring
 * case: a Python server's .env may say t, f, y or n. */
int cfg_parse_bool(int *out, const char *text)
{
	static const char *const yes[] = { "true", "t", "yes", "y", "on", "1" };
	static const char *const no[] = { "false", "f", "no", "n", "off", "0" };
	size_t i;

	if (!text)
		return -1;
	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (strcasecmp(text, yes[i]) == 0) {
			*out = 1;
			return 0;
		}
		if (strcasecmp(text, no[i]) == 0) {
			*out = 0;
			return 0;
		}
	}
	return -1;
}

/* ---- conversion ---- */

static int invalid(const var *v, const char *value, const char *problem,
		   errinfo *err)
{
	if (v->flags & F_SECRET)
		return errinfo_set(err, ERR_CONFIG, "%s: the value %s (example: %s=%s)",
				   v->name, problem, v->name, v->example);
	return errinfo_set(err, ERR_CONFIG, "%s: '%s' %s (example: %s=%s)", v->name,
			   value, problem, v->name, v->example);
}

static void choices_text(buf *b, const choice *ch)
{
	size_t i;

	for (i = 0; ch[i].text; i++)
		buf_printf(b, "%s%s", i ? ", " : "", ch[i].text);
}

/* Converts text (NULL or "" = the default) and stores it in c's field. */
static int apply(cfg *c, const var *v, const char *text, errinfo *err)
{
	char *field = (char *)c + v->offset;
	buf why = BUF_INIT(512);
	int error = 0;

	if (!text || !*text)
		text = v->def;

	switch (v->type) {
	case V_BOOL: {
		int b = 0;

		if (text && cfg_parse_bool(&b, text) < 0) {
			error = invalid(v, text, "is not a boolean (true/false, t/f, yes/no, y/n, on/off, 1/0)", err);
			break;
		}
		memcpy(field, &b, sizeof(b));
		break;
	}
	case V_LONG: {
		long n = 0;

		if (text) {
			char *end;

			errno = 0;
			n = strtol(text, &end, 10);
			if (!isdigit((unsigned char)text[0]) && text[0] != '-' && text[0] != '+')
				end = (char *)text;
			if (end == text || *end != '\0') {
				if (v->max == LONG_MAX)
					buf_printf(&why, "is not a whole number of at least %ld", v->min);
				else
					buf_printf(&why, "is not a number from %ld to %ld", v->min, v->max);
				error = invalid(v, text, buf_cstr(&why), err);
				break;
			}
			if ((v->flags & F_CLAMP) && (errno == ERANGE || n < v->min || n > v->max)) {
				long used = n < v->min ? v->min : v->max;

				log_warning("Config", "%s: %s is out of range %ld..%ld; using %ld",
					    v->name, text, v->min, v->max, used);
				n = used;
			} else if (errno == ERANGE || n < v->min || n > v->max) {
				if (v->max == LONG_MAX)
					buf_printf(&why, "is out of range (at least %ld)", v->min);
				else
					buf_printf(&why, "is out of range %ld..%ld", v->min, v->max);
				error = invalid(v, text, buf_cstr(&why), err);
				break;
			}
		}
		memcpy(field, &n, sizeof(n));
		break;
	}
	case V_ENUM: {
		size_t i;
		int value = 0;

		for (i = 0; text && v->choices[i].text; i++)
			if (strcasecmp(text, v->choices[i].text) == 0)
				break;
		if (text && !v->choices[i].text) {
			buf_puts(&why, "is not one of ");
			choices_text(&why, v->choices);
			error = invalid(v, text, buf_cstr(&why), err);
			break;
		}
		if (text)
			value = v->choices[i].value;
		/* Every enum field of struct cfg has the size of an int. */
		memcpy(field, &value, sizeof(value));
		break;
	}
	case V_STR: {
		const char *canon = NULL;
		char *copy = NULL, *old;

		if (text && v->check && v->check(text, &canon, &why) < 0) {
			error = invalid(v, text, buf_cstr(&why), err);
			break;
		}
		if (text) {
			copy = strdup(canon ? canon : text);
			if (!copy) {
				error = errinfo_set(err, ERR_NOMEM, "%s: out of memory", v->name);
				break;
			}
		}
		memcpy(&old, field, sizeof(old));
		free(old);
		memcpy(field, &copy, sizeof(copy));
		break;
	}
	}
	buf_dispose(&why);
	return error;
}

_Static_assert(sizeof(cfg_auth_type) == sizeof(int), "enum fields are ints");
_Static_assert(sizeof(cfg_access_type) == sizeof(int), "enum fields are ints");
_Static_assert(sizeof(cfg_transport) == sizeof(int), "enum fields are ints");

/* ---- loading ---- */

typedef struct loader {
	char *raw[NVARS];          /* text per variable, NULL = not given */
	unsigned char source[NVARS];
	const char *origin;        /* .env path, for messages */
	foreign_seen foreign;
} loader;

static int record(loader *ld, size_t i, const char *value, int source, errinfo *err)
{
	char *copy = strdup(value);

	if (!copy)
		return errinfo_set(err, ERR_NOMEM, "%s: out of memory", vars[i].name);
	free(ld->raw[i]);
	ld->raw[i] = copy;
	ld->source[i] = (unsigned char)source;
	return 0;
}

static int on_env_pair(const char *name, const char *value, int line, void *payload)
{
	loader *ld = payload;
	char where[512];
	size_t i;

	if (find_var(name, &i))
		return record(ld, i, value, SRC_DOTENV, NULL);
	snprintf(where, sizeof(where), "%s line %d", ld->origin, line);
	note_unknown(&ld->foreign, name, where);
	return 0;
}

static int read_env_file(loader *ld, const cfg_load_options *opts, errinfo *err)
{
	const char *path = opts->env_file ? opts->env_file : ".env";
	int explicit_file = opts->env_file_explicit;
	buf text = BUF_INIT(ENV_FILE_MAX);
	char chunk[8192];
	FILE *f;
	size_t n;
	int error = 0;

	f = fopen(path, "rb");
	if (!f) {
		if (errno == ENOENT && !explicit_file)
			return 0;
		if (errno == ENOENT)
			return errinfo_set(err, ERR_CONFIG, "env file '%s' does not exist", path);
		return errinfo_set(err, ERR_CONFIG, "cannot read env file '%s': %s", path,
				   strerror(errno));
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_put(&text, chunk, n);
	if (ferror(f)) {
		error = errinfo_set(err, ERR_CONFIG, "cannot read env file '%s': %s", path,
				    strerror(errno));
		goto cleanup;
	}
	if (buf_failed(&text)) {
		error = errinfo_set(err, ERR_CONFIG, "env file '%s' is larger than %d bytes",
				    path, ENV_FILE_MAX);
		goto cleanup;
	}
	if (memchr(buf_cstr(&text), '\0', text.len)) {
		error = errinfo_set(err, ERR_CONFIG, "env file '%s' contains NUL bytes (not a text file?)",
				    path);
		goto cleanup;
	}
	ld->origin = path;
	error = cfg_parse_env_text(buf_cstr(&text), path, on_env_pair, ld, err);
	if (error < 0 && err && !err->msg[0])
		errinfo_set(err, error, "env file '%s': cannot store a value", path);
cleanup:
	fclose(f);
	buf_dispose(&text);
	return error;
}

/* Reads table variables from the environment. Names in another case
 * ("ews_email") are accepted, but the exact upper-case name wins. */
static int read_environment(loader *ld, char *const *env, errinfo *err)
{
	int pass, error;
	size_t k, i;

	for (pass = 0; pass < 2; pass++) {
		for (k = 0; env && env[k]; k++) {
			const char *eq = strchr(env[k], '=');
			char name[128];
			size_t len;
			const var *v;

			if (!eq || eq == env[k] || (len = (size_t)(eq - env[k])) >= sizeof(name))
				continue;
			memcpy(name, env[k], len);
			name[len] = '\0';
			v = find_var(name, &i);
			if (!v) {
				if (pass == 0)
					note_unknown(&ld->foreign, name, "environment");
				continue;
			}
			if ((strcmp(v->name, name) == 0) != (pass == 1))
				continue;
			error = record(ld, i, eq + 1, SRC_ENV, err);
			if (error < 0)
				return error;
		}
	}
	return 0;
}

static int read_overrides(loader *ld, const cfg_load_options *opts, errinfo *err)
{
	int k, error;

	for (k = 0; k < opts->override_count; k++) {
		const char *o = opts->overrides[k];
		const char *eq = o ? strchr(o, '=') : NULL;
		char name[128];
		size_t len, i;

		if (!eq || eq == o || (len = (size_t)(eq - o)) >= sizeof(name))
			return errinfo_set(err, ERR_CONFIG,
					   "setting '%s' must be NAME=value (example: MCP_PORT=8000)",
					   o ? o : "");
		memcpy(name, o, len);
		name[len] = '\0';
		if (!find_var(name, &i))
			return errinfo_set(err, ERR_CONFIG,
					   "unknown setting %s (run `ews-mcp config` to list them)",
					   name);
		error = record(ld, i, eq + 1, SRC_FLAG, err);
		if (error < 0)
			return error;
	}
	return 0;
}

/* The required settings, all named in one line when several are missing. */
static int check_required(const cfg *c, errinfo *err)
{
	const char *missing[8];
	size_t n = 0, i;
	buf msg = BUF_INIT(1024);
	const var *first;
	int error;

	if (!c->ews_email)
		missing[n++] = "EWS_EMAIL";
	if (!c->ews_server_url)
		missing[n++] = "EWS_SERVER_URL";
	switch (c->auth_type) {
	case CFG_AUTH_OAUTH2:
		if (!c->ews_client_id)
			missing[n++] = "EWS_CLIENT_ID";
		if (!c->ews_client_secret)
			missing[n++] = "EWS_CLIENT_SECRET";
		if (!c->ews_tenant_id)
			missing[n++] = "EWS_TENANT_ID";
		break;
	case CFG_AUTH_BASIC:
	case CFG_AUTH_NTLM:
		if (!c->ews_username)
			missing[n++] = "EWS_USERNAME";
		if (!c->ews_password)
			missing[n++] = "EWS_PASSWORD";
		break;
	case CFG_AUTH_NEGOTIATE:
		break; /* the Kerberos ticket of the process */
	}
	if (n == 0)
		return 0;
	first = find_var(missing[0], NULL);
	if (n == 1 && strcmp(missing[0], "EWS_SERVER_URL") == 0) {
		buf_printf(&msg, "missing required setting: EWS_SERVER_URL (autodiscover is not implemented, so the EWS endpoint must be given; example: EWS_SERVER_URL=%s)",
			   first->example);
	} else if (n == 1) {
		buf_printf(&msg, "missing required setting: %s (set it in .env or the environment; example: %s=%s)",
			   missing[0], missing[0], first->example);
	} else {
		buf_puts(&msg, "missing required settings: ");
		for (i = 0; i < n; i++)
			buf_printf(&msg, "%s%s", i ? ", " : "", missing[i]);
		buf_printf(&msg, " (set them in .env or the environment; example: %s=%s)",
			   missing[0], first->example);
	}
	if (c->auth_type == CFG_AUTH_OAUTH2 && !c->ews_client_id && !c->ews_client_secret &&
	    !c->ews_tenant_id)
		/* Nothing says which sign-in is meant: oauth2 is only the
		 * default. Most sites are on-premises, so name both ways. */
		buf_puts(&msg, ". Two ways to sign in: Exchange Online with an Entra "
			 "app registration (EWS_CLIENT_ID, EWS_CLIENT_SECRET, "
			 "EWS_TENANT_ID; the default EWS_AUTH_TYPE=oauth2), or Exchange "
			 "on-premises with a service account (EWS_AUTH_TYPE=ntlm, "
			 "EWS_USERNAME and EWS_PASSWORD)");
	error = errinfo_set(err, ERR_CONFIG, "%s", buf_cstr(&msg));
	buf_dispose(&msg);
	return error;
}

int cfg_load(cfg **out, const cfg_load_options *opts, errinfo *err)
{
	static const cfg_load_options defaults = CFG_LOAD_OPTIONS_INIT;
	loader ld;
	cfg *c = NULL;
	size_t i;
	int error;

	*out = NULL;
	if (!opts)
		opts = &defaults;
	memset(&ld, 0, sizeof(ld));

	error = read_env_file(&ld, opts, err);
	if (error < 0)
		goto cleanup;
	error = read_environment(&ld, opts->environ ? opts->environ : environ, err);
	if (error < 0)
		goto cleanup;
	error = read_overrides(&ld, opts, err);
	if (error < 0)
		goto cleanup;

	c = calloc(1, sizeof(*c));
	if (!c || !(c->meta = calloc(1, sizeof(*c->meta)))) {
		error = errinfo_set(err, ERR_NOMEM, "configuration: out of memory");
		goto cleanup;
	}
	for (i = 0; i < NVARS; i++) {
		error = apply(c, &vars[i], ld.raw[i], err);
		if (error < 0)
			goto cleanup;
		c->meta->source[i] = ld.source[i];
	}
	if (!opts->skip_required) {
		error = check_required(c, err);
		if (error < 0)
			goto cleanup;
	}
	warn_foreign(&ld.foreign);
	*out = c;
	c = NULL;
cleanup:
	for (i = 0; i < NVARS; i++)
		free(ld.raw[i]);
	foreign_dispose(&ld.foreign);
	cfg_free(c);
	return error;
}

int cfg_set(cfg *c, const char *name, const char *value, errinfo *err)
{
	const var *v;
	size_t i;
	int error;

	if (!name || !(v = find_var(name, &i)))
		return errinfo_set(err, ERR_CONFIG,
				   "unknown setting %s (run `ews-mcp config` to list them)",
				   name ? name : "(null)");
	error = apply(c, v, value, err);
	if (error == 0 && c->meta)
		c->meta->source[i] = SRC_FLAG;
	return error;
}

void cfg_free(cfg *c)
{
	size_t i;

	if (!c)
		return;
	for (i = 0; i < NVARS; i++) {
		if (vars[i].type == V_STR) {
			char *s;

			memcpy(&s, (char *)c + vars[i].offset, sizeof(s));
			free(s);
		}
	}
	free(c->meta);
	free(c);
}

/* ---- reporting ---- */

/* The effective value as text; NULL when unset. */
static const char *value_text(buf *b, const cfg *c, const var *v)
{
	const char *field = (const char *)c + v->offset;

	switch (v->type) {
	case V_BOOL: {
		int x;

		memcpy(&x, field, sizeof(x));
		return x ? "true" : "false";
	}
	case V_LONG: {
		long x;

		memcpy(&x, field, sizeof(x));
		buf_printf(b, "%ld", x);
		return buf_cstr(b);
	}
	case V_ENUM: {
		int x;
		size_t i;

		memcpy(&x, field, sizeof(x));
		for (i = 0; v->choices[i].text; i++)
			if (v->choices[i].value == x)
				return v->choices[i].text;
		return "?";
	}
	case V_STR: {
		const char *s;

		memcpy(&s, field, sizeof(s));
		return s;
	}
	}
	return NULL;
}

/* Writes s so that cfg_parse_env_text reads it back unchanged and a reader
 * sees the value as it is: bare when that reads back (a backslash is data
 * there, so CONTOSO\svc-mcp prints as it is), else in single quotes, which
 * have no escapes, else (a value holding ', a tab or a line break) in
 * double quotes, where a backslash is doubled only when the parser would
 * otherwise read it as the start of an escape. */
static void put_env_value(FILE *out, const char *s)
{
	const char *p;

	if (*s && !strpbrk(s, " \t\r\n#\"'")) {
		fputs(s, out);
		return;
	}
	if (!strpbrk(s, "'\r\n\t")) {
		fprintf(out, "'%s'", s);
		return;
	}
	fputc('"', out);
	for (p = s; *p; p++) {
		if (*p == '"')
			fputs("\\\"", out);
		else if (*p == '\\')
			fputs(p[1] && !strchr("ntr\"\\\n\t\r", p[1]) ? "\\" : "\\\\", out);
		else if (*p == '\n')
			fputs("\\n", out);
		else if (*p == '\r')
			fputs("\\r", out);
		else if (*p == '\t')
			fputs("\\t", out);
		else
			fputc(*p, out);
	}
	fputc('"', out);
}

void cfg_dump(const cfg *c, FILE *out)
{
	buf b = BUF_INIT(4096);
	size_t i;

	for (i = 0; i < NVARS; i++) {
		const var *v = &vars[i];
		const char *val;
		int src = c->meta ? c->meta->source[i] : SRC_DEFAULT;

		buf_clear(&b);
		val = value_text(&b, c, v);
		fprintf(out, "%s=", v->name);
		if (!val) {
			fputs("(unset)", out);
		} else if (v->flags & F_SECRET) {
			/* Not even a prefix: a dump gets pasted into tickets. */
			fputs("****", out);
		} else {
			put_env_value(out, val);
		}
		fprintf(out, "  # %s\n", source_names[src]);
	}
	buf_dispose(&b);
}

void cfg_write_reference(FILE *out)
{
	buf b = BUF_INIT(1024);
	size_t i;

	fputs("| Variable | Default | Meaning |\n|---|---|---|\n", out);
	for (i = 0; i < NVARS; i++) {
		const var *v = &vars[i];

		buf_clear(&b);
		buf_puts(&b, v->meaning);
		if (v->type == V_LONG && v->max == LONG_MAX)
			buf_printf(&b, " At least %ld.", v->min);
		else if (v->type == V_LONG && (v->flags & F_CLAMP))
			buf_printf(&b, " Range %ld..%ld; a value outside is raised or lowered to it, with a warning.",
				   v->min, v->max);
		else if (v->type == V_LONG)
			buf_printf(&b, " Range %ld..%ld.", v->min, v->max);
		if (v->type == V_ENUM) {
			buf_puts(&b, " One of: ");
			choices_text(&b, v->choices);
			buf_putc(&b, '.');
		}
		if (v->type == V_BOOL)
			buf_puts(&b, " Boolean: true or false.");
		fprintf(out, "| `%s` | %s%s%s | %s |\n", v->name, v->def ? "`" : "",
			v->def ? v->def : "(unset)", v->def ? "`" : "", buf_cstr(&b));
	}
	buf_dispose(&b);
}
