/* freebusy.h - merged free/busy strings: one digit per interval, as
 * Exchange's MergedFreeBusy (0 free, 1 tentative, 2 busy, 3 out of office,
 * 4 no data; newer servers also send 5, working elsewhere).
 *
 * check_availability uses these to combine several people's strings into
 * one ("everyone is free" only where every string says free) and to list
 * the free periods. Pure functions, unit-tested in
 * tests/unit/tools/test_freebusy.c.
 */
#ifndef INCLUDE_tools_freebusy_h__
#define INCLUDE_tools_freebusy_h__

#include <stddef.h>
#include <stdint.h>

/* An event as GetUserAvailability reports it, in UTC seconds. */
typedef struct tools_fb_event {
	int64_t start;
	int64_t end;
	const char *busy_type;   /* Free, Tentative, Busy, OOF, WorkingElsewhere, NoData */
} tools_fb_event;

/* A period [start, end) in UTC seconds. */
typedef struct tools_fb_range {
	int64_t start;
	int64_t end;
} tools_fb_range;

/* How many intervals of interval seconds cover [start, end): the last one
 * may stick out past end, as Exchange counts them. 0 if end <= start. */
size_t tools_freebusy_intervals(int64_t start, int64_t end, int64_t interval);

/* The digit of an event's busy type ('2' for Busy and for anything not
 * known, so an unknown state is never taken for free). */
char tools_freebusy_digit(const char *busy_type);

/* Writes n digits and a NUL into out (n + 1 bytes) from events: per
 * interval the worst state of the events overlapping it, '0' where none
 * does. */
void tools_freebusy_from_events(char *out, size_t n, int64_t start, int64_t interval,
				const tools_fb_event *events, size_t nevents);

/* Merges digits into acc (n digits): per interval the worse of the two.
 * Worse means less available: free < working elsewhere < no data <
 * tentative < busy < out of office. digits shorter than n (or NULL) count
 * as no data past their end; characters that are not digits as busy. */
void tools_freebusy_merge(char *acc, const char *digits, size_t n);

/* The runs of free ('0') intervals of digits as periods, the last one
 * ending at end at the latest. Writes at most cap ranges and returns how
 * many runs there are (which may be more than cap). */
size_t tools_freebusy_free_runs(tools_fb_range *out, size_t cap, const char *digits,
				int64_t start, int64_t interval, int64_t end);

#endif
