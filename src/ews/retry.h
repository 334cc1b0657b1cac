/* retry.h - when an EWS request may be sent again, and after how long.
 *
 * The rule (DESIGN.md "Safety rules"): a read may be repeated after a
 * bounded back-off; a write (send, create, update, delete, move, respond)
 * is repeated only when the answer proves Exchange did not execute it -
 * an ErrorServerBusy fault (faults are raised before the operation runs),
 * HTTP 503 or 429, a 401 that an OAuth token refresh answers, or a
 * connection that failed before the request was sent. A write whose
 * answer was lost (timeout, reset, truncated body) is reported as
 * ERR_OUTCOME_UNKNOWN and never resent. The budget suits an interactive
 * tool call: by default 2 retries and at most 10 s of waiting in total; a
 * longer server back-off fails at once with ERR_THROTTLED and the hint.
 *
 * This module only decides; call.c observes, sleeps and resends.
 */
#ifndef INCLUDE_ews_retry_h__
#define INCLUDE_ews_retry_h__

typedef enum ews_op_kind {
	EWS_OP_READ = 0,
	EWS_OP_WRITE
} ews_op_kind;

/* What went wrong with one attempt. */
typedef enum ews_failure {
	EWS_FAIL_NONE = 0,       /* an answer that settles the call */
	EWS_FAIL_CONNECT,        /* no connection; nothing was sent */
	EWS_FAIL_TIMEOUT,        /* sent (maybe), no complete answer in time */
	EWS_FAIL_RESET,          /* connection lost after sending */
	EWS_FAIL_TRUNCATED,      /* answer cut short or unreadable */
	EWS_FAIL_SERVER_BUSY,    /* SOAP fault ErrorServerBusy (not executed) */
	EWS_FAIL_HTTP_503,       /* service unavailable (queued, not executed) */
	EWS_FAIL_HTTP_429,       /* too many requests (not executed) */
	EWS_FAIL_AUTH_TOKEN,     /* 401 on a bearer token: refresh once */
	EWS_FAIL_AUTH_PASSWORD,  /* 401 on basic/ntlm/negotiate credentials */
	EWS_FAIL_TRANSIENT,      /* transient EWS code in a response message */
	EWS_FAIL_GATEWAY,        /* 5xx without a SOAP body (proxy, CAS) */
	EWS_FAIL_CANCELLED       /* the caller cancelled */
} ews_failure;

typedef struct ews_retry_policy {
	int max_retries;         /* attempts after the first (token refresh
				  * not counted) */
	long max_wait_ms;        /* total sleeping allowed for one call */
	long base_delay_ms;      /* first back-off without a server hint;
				  * doubles per retry */
} ews_retry_policy;

#define EWS_RETRY_POLICY_INIT { 2, 10000, 500 }

/* Where a call stands before the decision. */
typedef struct ews_retry_state {
	int retries;             /* retries done so far */
	long waited_ms;          /* time slept so far */
	int token_refreshed;     /* a 401 refresh was already spent */
	int sent;                /* the request may have reached Exchange */
} ews_retry_state;

typedef struct ews_retry_decision {
	int retry;               /* 1: send again after wait_ms */
	long wait_ms;
	int refresh_token;       /* 1: get a new OAuth token first */
	int code;                /* when not retrying: the ERR_* to report
				  * (0 = report the answer as it is) */
} ews_retry_decision;

/**
 * Decides for one failed attempt. hint_ms is the server's back-off
 * (BackOffMilliseconds or Retry-After), 0 if none; a retry never waits
 * less than the hint. Pure function: same inputs, same decision.
 */
ews_retry_decision ews_retry_decide(const ews_retry_policy *policy,
				    ews_op_kind kind, ews_failure failure,
				    const ews_retry_state *state, long hint_ms);

/** Short name of a failure kind, for logs and test tables. */
const char *ews_failure_name(ews_failure failure);

#endif
