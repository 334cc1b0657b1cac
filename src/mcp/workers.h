/* workers.h - a small fixed pool of threads running queued jobs.
 *
 * Tool calls run here so the transport's reader never waits for Exchange:
 * requests are handled concurrently and may complete out of order. The
 * queue is bounded; a full queue is reported to the caller, who answers
 * "server busy" instead of growing without limit.
 */
#ifndef INCLUDE_workers_h__
#define INCLUDE_workers_h__

#include <stddef.h>

typedef struct mcp_workers mcp_workers;
typedef void (*mcp_job_fn)(void *arg);

/* 0 and a running pool, or -1 (out of memory / thread creation failed). */
int mcp_workers_new(mcp_workers **out, size_t threads, size_t max_queued);

/* Queues fn(arg). 0, or -1 when the queue is full or the pool is stopping. */
int mcp_workers_submit(mcp_workers *pool, mcp_job_fn fn, void *arg);

/* Runs every queued job to completion, then joins the threads. NULL-safe. */
void mcp_workers_free(mcp_workers *pool);

#endif
