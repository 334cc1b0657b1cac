/* gate.h - per-key concurrency limits and back-off windows.
 *
 * Exchange budgets concurrency per identity (EWSMaxConcurrency) and
 * throttles per identity; one mailbox that is slow or busy must not take
 * every worker of the server with it. A gate counts requests in flight
 * per key (a mailbox, an identity) and makes the next caller wait while a
 * key is at its limit; it also remembers, per key, until when the server
 * asked us to back off, so every request of that identity honours the
 * hint, not only the one that received it. Thread-safe; entries exist
 * only while a key has requests in flight or a back-off running.
 */
#ifndef INCLUDE_ews_gate_h__
#define INCLUDE_ews_gate_h__

#include <stdatomic.h>

#include "core/errinfo.h"

typedef struct ews_gate ews_gate;

/** limit: most requests in flight per key (>= 1). 0, ERR_INVAL/NOMEM. */
int ews_gate_new(ews_gate **out, int limit, errinfo *err);
void ews_gate_free(ews_gate *gate);  /* NULL-safe; no one may be inside */

/**
 * Takes a slot for key, waiting while the key is at its limit. Gives up
 * with ERR_CANCELLED when *cancel becomes non-zero (cancel may be NULL),
 * or ERR_LIMIT after timeout_ms (a stuck mailbox fails the caller instead
 * of hanging it); what names the limit in the message ("mailbox
 * alice@contoso.com"). 0 on success: call ews_gate_leave once done.
 */
int ews_gate_enter(ews_gate *gate, const char *key, const atomic_int *cancel,
		   long timeout_ms, const char *what, errinfo *err);
void ews_gate_leave(ews_gate *gate, const char *key);

/** Requests in flight for key (tests and stats). */
int ews_gate_in_flight(ews_gate *gate, const char *key);

/**
 * Records that the server asked key to wait until until_ms (monotonic
 * milliseconds, see ews_now_ms); a later, longer hint extends it.
 */
void ews_gate_backoff(ews_gate *gate, const char *key, long long until_ms);

/** Milliseconds key must still wait at now_ms (0 = none). */
long ews_gate_backoff_left(ews_gate *gate, const char *key, long long now_ms);

/** Monotonic clock in milliseconds. */
long long ews_now_ms(void);

#endif
