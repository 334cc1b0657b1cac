/* faults.h - fault injection for reliability tests.
 *
 * A fault spec is a list of rules separated by ';'. A rule is a list of
 * key=value pairs separated by ','; "kind" is required:
 *
 *   kind=latency,ms=250                 add latency (then answer normally)
 *   kind=server_busy,backoff_ms=30000   SOAP fault ErrorServerBusy with
 *                                       BackOffMilliseconds (not executed)
 *   kind=http503,retry_after=5          HTTP 503 + Retry-After (not executed)
 *   kind=html500                        HTTP 500 with an HTML error page
 *                                       (not executed)
 *   kind=truncate                       executed, then half the response
 *                                       body and a dropped connection
 *   kind=reset_before                   connection dropped, not executed
 *   kind=reset_after                    executed, then connection dropped
 *   kind=token_expired                  401 Bearer error="invalid_token"
 *                                       (bearer callers; not executed)
 *
 * Optional keys on every rule: op=OPERATION (e.g. CreateItem; default any),
 * mailbox=SMTP (the target mailbox: impersonated user, or the caller;
 * default any), count=N (fire N times, then the rule is spent; default
 * unlimited). Example:
 *   kind=server_busy,op=CreateItem,count=1;kind=latency,ms=50
 * The first matching live rule fires. Rules come from --faults and from
 * POST /sim/faults (body = spec; it replaces the rules; empty clears).
 */
#ifndef INCLUDE_sim_faults_h__
#define INCLUDE_sim_faults_h__

#include "core/errinfo.h"

typedef enum sim_fault_kind {
	SIM_FAULT_NONE = 0,
	SIM_FAULT_LATENCY,
	SIM_FAULT_SERVER_BUSY,
	SIM_FAULT_HTTP503,
	SIM_FAULT_HTML500,
	SIM_FAULT_TRUNCATE,
	SIM_FAULT_RESET_BEFORE,
	SIM_FAULT_RESET_AFTER,
	SIM_FAULT_TOKEN_EXPIRED
} sim_fault_kind;

typedef struct sim_fault {
	sim_fault_kind kind;
	long value;           /* ms, backoff_ms or retry_after seconds */
} sim_fault;

typedef struct sim_faults sim_faults;

int sim_faults_new(sim_faults **out, errinfo *err);
void sim_faults_free(sim_faults *f);
/* Replaces the rules with spec (NULL/empty clears). 0, or ERR_INVAL naming
 * the rule and key ("faults: rule 2: kind: unknown \"busy\""). */
int sim_faults_set(sim_faults *f, const char *spec, errinfo *err);
/* The fault for an operation on a mailbox (NULL = unknown), consuming one
 * count of the rule. kind NONE when no rule matches. Thread-safe. */
sim_fault sim_faults_pick(sim_faults *f, const char *op, const char *mailbox);
const char *sim_fault_kind_name(sim_fault_kind k);

#endif
