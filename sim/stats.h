/* stats.h - request counters for GET /sim/stats, so that tests can assert
 * on what Exchange really did rather than on what a client reports:
 *   requests, by_operation, by_mailbox, by_identity: authenticated EWS
 *     requests (an operation was parsed);
 *   http: every HTTP request to the EWS URL, 401 challenges and NTLM
 *     handshake legs included (requests, challenges, by_status with
 *     "reset" for a dropped connection), TCP connections accepted,
 *     requests in flight, requests to the token endpoint;
 *   writes: operations that changed a mailbox, executed and answered
 *     (the answer went out whole: no reset, no truncation), in total, by
 *     operation and by mailbox; writes_executed repeats writes.executed;
 *   messages_sent: messages delivered by CreateItem/SendItem;
 *   faults: each injected fault with whether the operation was executed.
 */
#ifndef INCLUDE_sim_stats_h__
#define INCLUDE_sim_stats_h__

#include "core/errinfo.h"

typedef struct sim_stats sim_stats;

int sim_stats_new(sim_stats **out, errinfo *err);
void sim_stats_free(sim_stats *s);
void sim_stats_reset(sim_stats *s);

/* One EWS request: op and mailbox may be NULL (not known). */
void sim_stats_request(sim_stats *s, const char *op, const char *mailbox,
		       const char *identity, int executed_write, int sent);
typedef enum sim_stats_http_event {
	SIM_HTTP_CONNECTION,     /* a TCP connection was accepted */
	SIM_HTTP_TOKEN_REQUEST,  /* a request to the token endpoint */
	SIM_HTTP_BEGIN,          /* an EWS request arrived whole */
	SIM_HTTP_END             /* ... and was answered with status
				  * (0: the connection was dropped) */
} sim_stats_http_event;

void sim_stats_http(sim_stats *s, sim_stats_http_event ev, int status);
/* One executed write; answered: its answer was sent whole. */
void sim_stats_write(sim_stats *s, const char *op, const char *mailbox,
		     int answered);
/* One injected fault and whether the operation was executed. */
void sim_stats_fault(sim_stats *s, const char *kind, const char *op,
		     const char *mailbox, int executed);
/* The JSON document (heap string, free()). */
char *sim_stats_json(sim_stats *s);

#endif
