/* stats.h - request counters for GET /sim/stats: requests per operation,
 * per target mailbox and per authenticated identity, messages sent, writes
 * executed, and a log of injected faults with whether the faulted
 * operation was executed (so a test can prove a write happened once).
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
/* One injected fault and whether the operation was executed. */
void sim_stats_fault(sim_stats *s, const char *kind, const char *op,
		     const char *mailbox, int executed);
/* The JSON document (heap string, free()). */
char *sim_stats_json(sim_stats *s);

#endif
