/* dates.h - the date arithmetic the calendar, task and out-of-office tools
 * share: reading Exchange's times, local midnights in TIMEZONE, and
 * local ISO 8601 output. Pure functions over core/tz.h, unit-tested in
 * tests/unit/tools/test_dates.c.
 */
#ifndef INCLUDE_tools_dates_h__
#define INCLUDE_tools_dates_h__

#include <jansson.h>
#include <stdint.h>

#include "core/cfg.h"
#include "core/errinfo.h"
#include "core/tz.h"

/* The configured TIMEZONE (UTC when unset). 0, or ERR_CONFIG naming
 * TIMEZONE when the zone cannot be loaded. */
int tools_date_zone(const tz_zone **out, const cfg *conf, errinfo *err);

/* UTC seconds of a time as Exchange writes it: ISO 8601 with Z, with an
 * offset, or without either (UTC: every request we send asks for UTC).
 * 0, or -1 when text is NULL, a bare date or unreadable. */
int tools_date_from_exchange(int64_t *out, const char *text);

/* The local midnight (wall clock of zone) that starts the day utc falls
 * in; with round_up, the first local midnight at or after utc. A day
 * whose midnight is skipped by a clock change starts at the first wall
 * time that exists (tz.h's fold=0 rule). */
int64_t tools_date_midnight(int64_t utc, const tz_zone *zone, int round_up);

/* The same wall-clock time days later in zone (a day across a clock
 * change is 23 or 25 hours long). */
int64_t tools_date_add_days(int64_t utc, const tz_zone *zone, int days);

/* utc as wall time in zone with its offset ("2025-12-15T10:00:00+01:00"),
 * a new JSON string. */
json_t *tools_date_local(int64_t utc, const tz_zone *zone);

#endif
