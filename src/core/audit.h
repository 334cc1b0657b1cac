/* audit.h - the audit log: one JSON line per tool call.
 *
 * What the seed promises ("All impersonation operations are logged with
 * both the service account and target mailbox"): each line records time,
 * tool, service account, target mailbox, access type, outcome, error code,
 * EWS response code, duration, request id and the ids of the items touched.
 * Arguments are recorded only after audit_redact(): bodies, attachment
 * contents, passwords, tokens and secrets never reach the file. The file
 * rotates by size (path, path.1 ... path.N). Safe from several threads.
 */
#ifndef INCLUDE_audit_h__
#define INCLUDE_audit_h__

#include <jansson.h>

#include "core/errinfo.h"

typedef struct audit_log audit_log;

typedef struct audit_record {
	const char *tool;            /* tool name */
	const char *service_account; /* EWS_EMAIL */
	const char *target_mailbox;  /* mailbox accessed (primary if none) */
	const char *access_type;     /* self | impersonation | delegate */
	int success;
	const char *error_code;      /* errinfo_code_name(), NULL on success */
	const char *ews_code;        /* EWS ResponseCode, NULL if none */
	double duration_ms;
	const char *request_id;      /* Exchange request-id, NULL if none */
	const json_t *item_ids;      /* array of strings, or NULL */
	const json_t *arguments;     /* raw tool arguments; redacted here */
} audit_record;

/* Opens (creating parent folders) for appending. max_bytes <= 0 disables
 * rotation. 0 or ERR_IO/ERR_CONFIG. */
int audit_open(audit_log **out, const char *path, long max_bytes,
	       long backups, errinfo *err);

/* Appends one line; rotates first when the file would pass max_bytes.
 * 0, or ERR_IO (logged once; a broken audit file never fails a call). */
int audit_write(audit_log *log, const audit_record *rec);

/* A deep copy of args with sensitive values replaced by "[REDACTED]"
 * (keys that are, as a whole, a secret-bearing or content-bearing name
 * such as password, client_secret, token, api_key, authorization, body,
 * file_content, internal_reply; hyphens and case ignored; the table is in
 * audit.c) and long strings cut to 200 characters. Caller decrefs. */
json_t *audit_redact(const json_t *args);

void audit_close(audit_log *log);

#endif
