/* cfg.h - configuration: defaults < .env file < environment < flags.
 *
 * Variable names and defaults are those of the Python ews-mcp (a user swaps
 * binaries without touching .env), plus the ones this server adds. Every
 * variable is described once, in the table in cfg.c (name, type, default,
 * secret or not, an example of a good value); loading, validation, the
 * masked dump of `ews-mcp config` and the README reference all come from it.
 */
#ifndef INCLUDE_cfg_h__
#define INCLUDE_cfg_h__

#include <stdio.h>

#include "core/errinfo.h"

typedef enum cfg_auth_type {
	CFG_AUTH_OAUTH2 = 0,
	CFG_AUTH_BASIC,
	CFG_AUTH_NTLM,
	CFG_AUTH_NEGOTIATE
} cfg_auth_type;

typedef enum cfg_access_type {
	CFG_ACCESS_IMPERSONATION = 0,
	CFG_ACCESS_DELEGATE,
	CFG_ACCESS_AUTO          /* impersonation where granted, else delegate */
} cfg_access_type;

typedef enum cfg_transport {
	CFG_TRANSPORT_STDIO = 0,
	CFG_TRANSPORT_HTTP,   /* Streamable HTTP; "sse" in MCP_TRANSPORT maps here */
} cfg_transport;

/* The effective configuration. Strings are owned by the cfg and never NULL
 * for variables that have a default; optional ones without a value are
 * NULL. */
typedef struct cfg {
	/* Exchange */
	char *ews_email;                 /* EWS_EMAIL (required) */
	char *ews_server_url;            /* EWS_SERVER_URL, as given */
	int ews_autodiscover;            /* EWS_AUTODISCOVER (true) */
	cfg_auth_type auth_type;         /* EWS_AUTH_TYPE (oauth2) */
	char *ews_username;              /* EWS_USERNAME */
	char *ews_password;              /* EWS_PASSWORD (secret) */
	char *ews_client_id;             /* EWS_CLIENT_ID */
	char *ews_client_secret;         /* EWS_CLIENT_SECRET (secret) */
	char *ews_tenant_id;             /* EWS_TENANT_ID */
	char *ews_oauth_authority;       /* EWS_OAUTH_AUTHORITY (https://login.microsoftonline.com) */
	char *ews_server_version;        /* EWS_SERVER_VERSION (Exchange2016) */
	int ews_insecure_skip_verify;    /* EWS_INSECURE_SKIP_VERIFY (false) */
	char *ews_ca_bundle;             /* EWS_CA_BUNDLE */

	/* Other mailboxes */
	int impersonation_enabled;       /* EWS_IMPERSONATION_ENABLED (false) */
	cfg_access_type impersonation_type; /* EWS_IMPERSONATION_TYPE (impersonation) */
	char *impersonation_allowed;     /* EWS_IMPERSONATION_ALLOWED: comma-separated globs */
	long mailbox_cache_size;         /* EWS_MAILBOX_CACHE_SIZE (256) */
	long max_concurrency_per_mailbox;/* EWS_MAX_CONCURRENCY_PER_MAILBOX (4) */

	/* Files */
	char *attachment_dir;            /* EWS_ATTACHMENT_DIR (unset = local files refused) */
	char *download_dir;              /* EWS_DOWNLOAD_DIR (downloads) */
	char *data_dir;                  /* DATA_DIR (data) */
	long max_attachment_size;        /* MAX_ATTACHMENT_SIZE (157286400) */

	/* MCP server */
	char *mcp_server_name;           /* MCP_SERVER_NAME (ews-mcp-server) */
	cfg_transport transport;         /* MCP_TRANSPORT (stdio) */
	char *mcp_host;                  /* MCP_HOST (127.0.0.1) */
	long mcp_port;                   /* MCP_PORT (8000) */
	char *mcp_api_key;               /* MCP_API_KEY (secret) */
	char *mcp_allowed_origins;       /* MCP_ALLOWED_ORIGINS: comma-separated */

	/* Behaviour */
	char *timezone;                  /* TIMEZONE (UTC), IANA name */
	char *log_level;                 /* LOG_LEVEL (INFO) */
	int log_json;                    /* LOG_FORMAT=json (text) */
	long request_timeout;            /* REQUEST_TIMEOUT seconds (30) */
	long connection_pool_size;       /* CONNECTION_POOL_SIZE (10) */
	int enable_cache;                /* ENABLE_CACHE (true) */
	long cache_ttl;                  /* CACHE_TTL seconds (300) */
	int rate_limit_enabled;          /* RATE_LIMIT_ENABLED (true) */
	long rate_limit_per_minute;      /* RATE_LIMIT_REQUESTS_PER_MINUTE (25) */
	int enable_email;                /* ENABLE_EMAIL (true) */
	int enable_calendar;             /* ENABLE_CALENDAR (true) */
	int enable_contacts;             /* ENABLE_CONTACTS (true) */
	int enable_tasks;                /* ENABLE_TASKS (true) */
	int enable_folders;              /* ENABLE_FOLDERS (true) */
	int enable_attachments;          /* ENABLE_ATTACHMENTS (true) */

	/* Audit log */
	int audit_enabled;               /* ENABLE_AUDIT_LOG (true) */
	char *audit_log_path;            /* AUDIT_LOG_PATH (logs/audit.log) */
	long audit_log_max_bytes;        /* AUDIT_LOG_MAX_BYTES (20971520) */
	long audit_log_backups;          /* AUDIT_LOG_BACKUPS (10) */

	/* HTTP transport tuning (Python names) */
	int sse_keepalive_enabled;       /* SSE_KEEPALIVE_ENABLED (true) */
	long sse_keepalive_interval;     /* SSE_KEEPALIVE_INTERVAL_SECONDS (15, 5..60) */
	long http_keepalive_timeout;     /* HTTP_KEEP_ALIVE_TIMEOUT_SECONDS (300, 30..900) */
	int progress_enabled;            /* PROGRESS_NOTIFICATION_ENABLED (true) */
	long progress_interval;          /* PROGRESS_NOTIFICATION_INTERVAL_SECONDS (10, 5..60) */

	/* Private to cfg.c: where each value came from (for cfg_dump). NULL
	 * in a cfg not made by cfg_load. */
	struct cfg_meta *meta;
} cfg;

typedef struct cfg_load_options {
	/* .env path; NULL = "./.env", which may be missing. A path given
	 * explicitly (--env-file) must exist. */
	const char *env_file;
	int env_file_explicit;
	/* The process environment (NULL-terminated "K=V"); NULL = environ. */
	char *const *environ;
	/* Command-line overrides, "NAME=VALUE" each (highest precedence). */
	const char *const *overrides;
	int override_count;
	/* Skip the checks for required Exchange settings (EWS_EMAIL, URL,
	 * credentials): used by `ews-mcp demo`, which supplies its own. */
	int skip_required;
} cfg_load_options;

#define CFG_LOAD_OPTIONS_INIT { NULL, 0, NULL, NULL, 0, 0 }

/* Loads and validates. 0 and a new cfg in *out (cfg_free it), or ERR_CONFIG
 * with err->msg one line: the variable, what is wrong, a good example,
 * e.g. "MCP_PORT: 'abc' is not a number from 1 to 65535 (example: MCP_PORT=8000)".
 * When several required variables are missing, the line names them all.
 * Unknown EWS_* names in .env or the environment are logged as warnings. */
int cfg_load(cfg **out, const cfg_load_options *opts, errinfo *err);

/* Sets one variable by name on a loaded cfg, with the same validation
 * (used by `demo` to point the cfg at its embedded sim). 0 or ERR_CONFIG. */
int cfg_set(cfg *c, const char *name, const char *value, errinfo *err);

/* Writes the effective configuration, one `NAME=value  # source` line per
 * variable, secrets masked as "****" (unset stays
 * "(unset)"). source is default|.env|environment|flag. */
void cfg_dump(const cfg *c, FILE *out);

/* Parses one .env text into NAME/VALUE pairs: comments, blank lines,
 * `export ` prefix, single/double quotes (double quotes honour \n \" \\),
 * inline comments after unquoted values (`A=b  # note`). Calls fn for each
 * pair; returns 0, or ERR_CONFIG naming the line number of a malformed
 * line. Exposed for tests. */
typedef int (*cfg_pair_fn)(const char *name, const char *value, int line,
			   void *payload);
int cfg_parse_env_text(const char *text, const char *origin, cfg_pair_fn fn,
		       void *payload, errinfo *err);

/* Parses a boolean the way the Python server (pydantic) accepts them:
 * true/false, t/f, yes/no, y/n, on/off, 1/0 (any case). 0 or -1. */
int cfg_parse_bool(int *out, const char *text);

/* Writes the configuration reference as a Markdown table (variable,
 * default, meaning with allowed values), generated from the same table
 * that drives loading; used for the README. */
void cfg_write_reference(FILE *out);

void cfg_free(cfg *c);

#endif
