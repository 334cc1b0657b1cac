/* ratelimit.h - per-key sliding-window rate limits ("at most N events per
 * window for each key"), e.g. tool calls per target mailbox.
 *
 * Each key keeps the times of its last N accepted events in a ring; an
 * event is accepted when the oldest of them is older than the window.
 * Keys not seen for a window are dropped, so memory follows the number of
 * active keys. Thread-safe.
 */
#ifndef INCLUDE_ratelimit_h__
#define INCLUDE_ratelimit_h__

#include <stdint.h>

typedef struct ratelimit ratelimit;

/* At most limit events per window_ms per key. 0 or -1 (out of memory). */
int ratelimit_new(ratelimit **out, long limit, long window_ms);
void ratelimit_free(ratelimit *rl);

/* Records an event for key at now_ms (a monotonic clock). Returns 0 when
 * allowed, else the milliseconds until the key may try again. */
long ratelimit_take(ratelimit *rl, const char *key, int64_t now_ms);

/* The same for n events at once (e.g. the tool calls of one HTTP POST):
 * all are recorded, or none and the wait until all would fit. n above the
 * limit counts as the limit, so a large batch waits for a full window. */
long ratelimit_take_n(ratelimit *rl, const char *key, long n, int64_t now_ms);

/* Milliseconds on the monotonic clock, for callers without their own. */
int64_t ratelimit_now_ms(void);

#endif
