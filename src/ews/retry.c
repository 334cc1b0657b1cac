/* retry.c - the retry decision table (see retry.h). */
#include "ews/retry.h"

#include "core/errinfo.h"

static const char *const names[] = {
	"none", "connect", "timeout", "reset", "truncated", "server_busy",
	"http_503", "http_429", "auth_token", "auth_password", "transient",
	"gateway", "cancelled",
};

const char *ews_failure_name(ews_failure f)
{
	if ((unsigned)f < sizeof(names) / sizeof(names[0]))
		return names[f];
	return "unknown";
}

/* Back-off for retry number n (0-based): base * 2^n, never below the
 * server's hint. */
static long delay_for(const ews_retry_policy *p, int n, long hint_ms)
{
	long d = p->base_delay_ms;
	int i;

	for (i = 0; i < n && d < p->max_wait_ms; i++)
		d *= 2;
	return hint_ms > d ? hint_ms : d;
}

static ews_retry_decision stop(int code)
{
	ews_retry_decision d = { 0, 0, 0, code };

	return d;
}

/* Retry after a back-off if the budget allows, else give up with code. */
static ews_retry_decision backoff(const ews_retry_policy *p,
				  const ews_retry_state *s, long hint_ms,
				  int code)
{
	ews_retry_decision d = { 1, 0, 0, 0 };

	if (s->retries >= p->max_retries)
		return stop(code);
	d.wait_ms = delay_for(p, s->retries, hint_ms);
	if (s->waited_ms + d.wait_ms > p->max_wait_ms)
		return stop(code);
	return d;
}

ews_retry_decision ews_retry_decide(const ews_retry_policy *p,
				    ews_op_kind kind, ews_failure f,
				    const ews_retry_state *s, long hint_ms)
{
	int write = kind == EWS_OP_WRITE;

	switch (f) {
	case EWS_FAIL_NONE:
		return stop(0);
	case EWS_FAIL_CANCELLED:
		/* A write cancelled after it left may still have happened. */
		return stop(write && s->sent ? ERR_OUTCOME_UNKNOWN
					     : ERR_CANCELLED);
	case EWS_FAIL_CONNECT:
		/* Nothing reached the server: safe for reads and writes. */
		return backoff(p, s, hint_ms, ERR_IO);
	case EWS_FAIL_SERVER_BUSY:
	case EWS_FAIL_HTTP_503:
	case EWS_FAIL_HTTP_429:
		/* Answers that prove the operation did not run. */
		return backoff(p, s, hint_ms, ERR_THROTTLED);
	case EWS_FAIL_AUTH_TOKEN:
		/* A 401 proves non-execution; one refresh, no back-off. */
		if (s->token_refreshed)
			return stop(ERR_AUTH);
		{
			ews_retry_decision d = { 1, 0, 1, 0 };

			return d;
		}
	case EWS_FAIL_AUTH_PASSWORD:
		/* Never again: repeated failures lock accounts out. */
		return stop(ERR_AUTH);
	case EWS_FAIL_TIMEOUT:
		return write ? stop(ERR_OUTCOME_UNKNOWN)
			     : backoff(p, s, hint_ms, ERR_TIMEOUT);
	case EWS_FAIL_RESET:
	case EWS_FAIL_TRUNCATED:
	case EWS_FAIL_GATEWAY:
		return write ? stop(ERR_OUTCOME_UNKNOWN)
			     : backoff(p, s, hint_ms, ERR_TRANSIENT);
	case EWS_FAIL_TRANSIENT:
		/* Exchange answered "failed, try later" for this message;
		 * for a batch write some items may have been done, so only
		 * reads are repeated. */
		return write ? stop(0) : backoff(p, s, hint_ms, 0);
	}
	return stop(0);
}
